/**
 * Wiring of the `run` process: opens the db, the remote connection and the file handler from the
 * parsed flags, and turns the loop state into `session.data` (floats marked as floats, spec §A6.3).
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Logger } from 'pino';
import { float } from '@smurf-ocs/ocs-agent-core';
import { LocalRunner, type CommandRunner } from './command-runner.js';
import { FileHandler } from './file-handler.js';
import { FilesManager } from './files-manager.js';
import type { LoopConfig, SessionData } from './iteration.js';
import { SshSession } from './ssh-session.js';

/** The flags the loop reads (camelCase, as core parses them). */
export interface SuprsyncFlags {
  archiveName: string;
  remoteBasedir: string;
  dbPath: string;
  sshHost?: string | undefined;
  sshKey?: string | undefined;
  deleteLocalAfter?: number | undefined;
  maxCopyAttempts: number;
  copyTimeout?: number | undefined;
  cmdTimeout?: number | undefined;
  filesPerBatch?: number | undefined;
  batchesPerIteration?: number | undefined;
  sleepTime: number;
  compression: boolean;
  bwlimit?: string | undefined;
  suprsyncFileRoot: string;
  dbEcho: boolean;
  chmod: string;
  sshPort: number;
  knownHosts?: string | undefined;
  acceptNewHostKeys: boolean;
  allowedRoot?: string[] | undefined;
}

/** Everything one `run` session holds; `close()` releases it. */
export interface RunResources {
  fm: FilesManager;
  runner: CommandRunner;
  handler: FileHandler;
  config: LoopConfig;
  close(): Promise<void>;
}

function resolveRoots(roots: readonly string[] | undefined): string[] | undefined {
  if (!roots || roots.length === 0) return undefined;
  return roots.map((r) => { try { return realpathSync(r); } catch { return resolve(r); } });
}

const seconds = (s: number | undefined): number | undefined => (s === undefined ? undefined : s * 1000);

/**
 * Opens the db (creating tables, WAL) and the remote connection objects (connected lazily).
 * @throws SuprsyncDbError if the db cannot be opened (the `run` process then fails, spec §A2.1).
 */
export function openRun(f: SuprsyncFlags, instanceId: string, log: Logger): RunResources {
  const fm = FilesManager.open(f.dbPath, { createAll: true, echo: f.dbEcho, log: log.child({ component: 'db' }) });
  const allowedRoots = resolveRoots(f.allowedRoot);
  if (!allowedRoots) log.warn('no --allowed-root given: any registered local path may be copied and deleted');
  const runner: CommandRunner = f.sshHost
    ? new SshSession({ sshHost: f.sshHost, port: f.sshPort, keyPath: f.sshKey, knownHostsPath: f.knownHosts,
      acceptNewHostKeys: f.acceptNewHostKeys }, log.child({ component: 'ssh' }))
    : new LocalRunner();
  const handler = new FileHandler(fm, runner, {
    archiveName: f.archiveName, remoteBasedir: f.remoteBasedir, chmod: f.chmod, compression: f.compression,
    bwlimit: f.bwlimit ?? null, copyTimeoutMs: seconds(f.copyTimeout), cmdTimeoutMs: seconds(f.cmdTimeout),
    ...(allowedRoots ? { allowedRoots } : {}),
  }, log.child({ component: 'copy' }));
  // The finalization files are registered with their local path, which must be absolute (a
  // relative --suprsync-file-root made Python register dangling paths; see docs/compat/suprsync.md).
  const config: LoopConfig = {
    archiveName: f.archiveName, instanceId, suprsyncFileRoot: resolve(f.suprsyncFileRoot), maxCopyAttempts: f.maxCopyAttempts,
    filesPerBatch: f.filesPerBatch ?? null, batchesPerIteration: f.batchesPerIteration ?? 1, deleteLocalAfter: f.deleteLocalAfter ?? null, sleepTime: f.sleepTime,
    ...(allowedRoots ? { allowedRoots } : {}),
  };
  let closed: Promise<void> | undefined;
  return {
    fm, runner, handler, config,
    close: () => (closed ??= (async () => {
      handler.close();
      await runner.close();
      await fm.releaseArchive(f.archiveName, instanceId).catch((err: unknown) => log.warn({ err }, 'could not release the archive claim'));
      fm.close();
    })()),
  };
}

const f = (x: number | undefined): unknown => (x === undefined ? undefined : float(x));

/** `session.data` with every time and `finalized_until` sent as a float (ocs-protocol.md 8.1). */
export function encodeSessionData(d: SessionData): Record<string, unknown> {
  const lc = d.last_copy;
  const out: Record<string, unknown> = {
    activity: d.activity,
    last_copy: Object.fromEntries(Object.entries({
      ...lc, start_time: f(lc.start_time), stop_time: f(lc.stop_time), backoff_until: f(lc.backoff_until),
    }).filter(([, v]) => v !== undefined)),
    counters: { ...d.counters },
  };
  if (d.timestamp !== undefined) out['timestamp'] = float(d.timestamp);
  if (d.archive_stats) out['archive_stats'] = { ...d.archive_stats, finalized_until: float(d.archive_stats.finalized_until) };
  return out;
}
