/**
 * One pass of the SupRsync `run` loop (spec §A6.2) as a function of its dependencies and state.
 * No OCS imports: the agent passes `publish` and `setActivity` callbacks and copies the returned
 * session data. Expected faults are counted, logged and survived (one counter per class).
 */
import type { Logger } from 'pino';
import { deleteFiles } from './delete-files.js';
import { SuprsyncDbError, SuprsyncFinalizeError, SuprsyncTimeoutError, SuprsyncUnreachableError, SuprsyncHostKeyError, type SuprsyncError } from './errors.js';
import type { CopyReport, FileHandler } from './file-handler.js';
import type { ArchiveStats, FilesManager } from './files-manager.js';
import { updateAllTimecodeDirs } from './finalization.js';

/** `session.data.counters` (the first five are also the `transfer_stats` feed, spec §A6.3). */
export interface Counters {
  iterations: number;
  /** Rows attempted (not successes). */
  copies: number;
  errors_timeout: number;
  errors_nonzero: number;
  errors_sqlite: number;
  /** unlink failures (permission, read-only fs, ...). Not in Python. */
  errors_delete: number;
  /** Finalization YAML write failures. Not in Python (it crashed). */
  errors_finalize: number;
}

/** `session.data.last_copy` (spec §A6.3). Times are ctime seconds. */
export interface LastCopy {
  start_time?: number;
  stop_time?: number;
  /** `[local_path, md5_ok]`; absent when the copy step failed before recording anything. */
  files?: [string, boolean][];
  error?: 'timed out' | 'nonzero exit';
  /** Our addition: the failure's message. */
  error_detail?: string;
  /** Our addition: rows refused before the copy and why. */
  rejected?: { local_path: string; error: string }[];
  /** Our addition: the copy was skipped until this ctime because the remote was unreachable. */
  backoff_until?: number;
}

/** `session.data` of the `run` process. */
export interface SessionData {
  activity: 'idle' | 'copying' | 'deleting';
  timestamp?: number;
  last_copy: LastCopy;
  archive_stats?: ArchiveStats;
  counters: Counters;
}

/** Loop settings (from the agent flags). */
export interface LoopConfig {
  archiveName: string;
  instanceId: string;
  suprsyncFileRoot: string;
  maxCopyAttempts: number;
  filesPerBatch?: number | null;
  /**
   * Batches of `filesPerBatch` rows copied per iteration, up to 3 rsync calls at a time
   * (`--batches-per-iteration`, ours). Default 1: one rsync call per iteration, as Python (C1.4).
   */
  batchesPerIteration?: number;
  deleteLocalAfter?: number | null;
  sleepTime: number;
  allowedRoots?: readonly string[];
}

/** What the iteration needs. */
export interface IterationDeps {
  fm: FilesManager;
  handler: FileHandler;
  config: LoopConfig;
  log: Logger;
  publish(feed: 'transfer_stats' | 'archive_stats', message: { block_name: string; timestamp: number; data: Record<string, number | string> }): void;
  setActivity(activity: SessionData['activity']): void;
}

/** State carried from one iteration to the next. */
export interface LoopState {
  data: SessionData;
  nextFeedUpdate: number;
  lastTcdirUpdate: number;
  backoffUntil: number;
  unreachableCount: number;
}

/** Result of one iteration. */
export interface IterationResult {
  /** `session.degraded` after the iteration; undefined = unchanged. */
  degraded?: boolean;
  /** Seconds to sleep before the next iteration (5 after a db error, else `--sleep-time`). */
  sleepSeconds: number;
}

const TCDIR_UPDATE_INTERVAL = 21600; // 6 h (spec §A6.1)
const TCDIR_WINDOW = 7 * 86400;
const FEED_INTERVAL = 600;
/** A claim on an archive older than this (s, or 3 × sleep-time if longer) may be taken over. */
const OWNER_STALE_AFTER = 3600;

/** Initial state (spec §A6.1). */
export function initialLoopState(): LoopState {
  return {
    data: { activity: 'idle', last_copy: {}, counters: { iterations: 0, copies: 0, errors_timeout: 0, errors_nonzero: 0, errors_sqlite: 0, errors_delete: 0, errors_finalize: 0 } },
    nextFeedUpdate: 0, lastTcdirUpdate: 0, backoffUntil: 0, unreachableCount: 0,
  };
}

/** Runs one iteration. Throws only on unexpected (non-suprsync) errors. */
export async function runIteration(deps: IterationDeps, st: LoopState): Promise<IterationResult> {
  const c = st.data.counters;
  c.iterations += 1;
  try {
    return await steps(deps, st);
  } catch (err) {
    if (!(err instanceof SuprsyncDbError)) throw err;
    c.errors_sqlite += 1;
    deps.log.warn({ err }, 'sqlite error, retrying in 5 s');
    deps.setActivity('idle');
    return { degraded: true, sleepSeconds: 5 };
  }
}

async function steps(deps: IterationDeps, st: LoopState): Promise<IterationResult> {
  const { config: cfg, fm, log } = deps;
  const op: LastCopy = { start_time: Date.now() / 1000 };
  const owner = await fm.claimArchive(cfg.archiveName, cfg.instanceId, Math.max(3 * cfg.sleepTime, OWNER_STALE_AFTER));
  if (owner !== cfg.instanceId) return othersArchive(deps, st, op, owner);
  let degraded = await copyStep(deps, st, op);
  let now = Date.now() / 1000;
  if (now - st.lastTcdirUpdate > TCDIR_UPDATE_INTERVAL) {
    await fm.createAllTimecodeDirs(cfg.archiveName, now - TCDIR_WINDOW);
    st.lastTcdirUpdate = now;
  }
  const stats = await fm.getArchiveStats(cfg.archiveName, now);
  deps.publish('archive_stats', { block_name: cfg.archiveName, timestamp: now, data: { ...stats } });
  op.stop_time = now;
  Object.assign(st.data, { archive_stats: stats, last_copy: op, timestamp: now });
  if (now >= st.nextFeedUpdate) {
    const { iterations, copies, errors_timeout, errors_nonzero, errors_sqlite } = st.data.counters;
    deps.publish('transfer_stats', { block_name: 'block0', timestamp: now, data: { iterations, copies, errors_timeout, errors_nonzero, errors_sqlite } });
    st.nextFeedUpdate = now + FEED_INTERVAL;
  }
  if (cfg.deleteLocalAfter !== undefined && cfg.deleteLocalAfter !== null) {
    deps.setActivity('deleting');
    const r = await deleteFiles(fm, { archiveName: cfg.archiveName, deleteAfter: cfg.deleteLocalAfter, log, ...(cfg.allowedRoots ? { allowedRoots: cfg.allowedRoots } : {}) });
    st.data.counters.errors_delete += r.errors.length;
  }
  now = Date.now() / 1000;
  try {
    await updateAllTimecodeDirs(fm, { archiveName: cfg.archiveName, fileRoot: cfg.suprsyncFileRoot, instanceId: cfg.instanceId, now });
  } catch (err) {
    if (!(err instanceof SuprsyncFinalizeError)) throw err;
    st.data.counters.errors_finalize += 1;
    log.error({ err }, 'finalization failed; retrying next iteration');
    degraded = true;
  }
  deps.setActivity('idle');
  return { degraded, sleepSeconds: cfg.sleepTime };
}

/** Another instance owns the archive: publish stats, touch nothing (spec §A2.4 [FLAW] fixed). */
async function othersArchive(deps: IterationDeps, st: LoopState, op: LastCopy, owner: string): Promise<IterationResult> {
  const now = Date.now() / 1000;
  deps.log.error({ archive: deps.config.archiveName, owner }, 'archive is owned by another SupRsync instance; not copying');
  const stats = await deps.fm.getArchiveStats(deps.config.archiveName, now);
  deps.publish('archive_stats', { block_name: deps.config.archiveName, timestamp: now, data: { ...stats } });
  op.stop_time = now;
  op.error_detail = `archive ${deps.config.archiveName} is being copied by instance ${owner}`;
  Object.assign(st.data, { archive_stats: stats, last_copy: op, timestamp: now });
  deps.setActivity('idle');
  return { degraded: true, sleepSeconds: deps.config.sleepTime };
}

/** Step 2: copy, unless backing off from an unreachable remote. Returns the new `degraded`. */
async function copyStep(deps: IterationDeps, st: LoopState, op: LastCopy): Promise<boolean> {
  const { config: cfg, log } = deps;
  const c = st.data.counters;
  if (Date.now() / 1000 < st.backoffUntil) {
    op.backoff_until = st.backoffUntil;
    return true;
  }
  deps.setActivity('copying');
  const batches = cfg.batchesPerIteration ?? 1;
  const report = batches > 1 && (cfg.filesPerBatch ?? 0) > 0
    ? mergeReports(await deps.handler.copyBatches(cfg.maxCopyAttempts, cfg.filesPerBatch, batches))
    : await deps.handler.copyFiles(cfg.maxCopyAttempts, cfg.filesPerBatch);
  c.copies += report.files.length;
  if (report.files.length > 0 || !report.failure) op.files = report.files;
  if (report.rejected.length > 0) op.rejected = report.rejected;
  const f = report.failure;
  if (!f) {
    st.unreachableCount = 0;
    return false;
  }
  classify(f, op, c);
  log.error({ err: f }, f instanceof SuprsyncTimeoutError ? 'Timeout when copying files!' : 'rsync returned non-zero exit code!');
  if (f instanceof SuprsyncUnreachableError || f instanceof SuprsyncHostKeyError) {
    st.unreachableCount += 1;
    const delay = Math.min(Math.max(cfg.sleepTime, 1) * 2 ** (st.unreachableCount - 1), 600);
    st.backoffUntil = Date.now() / 1000 + delay;
    log.warn({ retry_in_s: delay }, 'remote unreachable, backing off');
    return true;
  }
  return false;
}

/** One report for the iteration: files and rejects of all batches; an outage wins over other failures. */
function mergeReports(reports: CopyReport[]): CopyReport {
  const outage = reports.find((r) => r.failure instanceof SuprsyncUnreachableError || r.failure instanceof SuprsyncHostKeyError);
  const failure = (outage ?? reports.find((r) => r.failure))?.failure;
  return { files: reports.flatMap((r) => r.files), rejected: reports.flatMap((r) => r.rejected), ...(failure ? { failure } : {}) };
}

function classify(f: SuprsyncError, op: LastCopy, c: Counters): void {
  if (f instanceof SuprsyncTimeoutError) {
    op.error = 'timed out';
    c.errors_timeout += 1;
  } else {
    op.error = 'nonzero exit';
    c.errors_nonzero += 1;
  }
  op.error_detail = f.message;
}
