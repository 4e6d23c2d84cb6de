/**
 * The copy step of `SupRsyncFileHandler` (spec §A5.2), reworked:
 * - rows are checked first; a bad row fails only itself (one attempt, with a clear error);
 * - one rsync per batch; the remote md5 of files already sent overlaps the rest of the transfer,
 *   and verified rows are written to the db at once (no all-or-nothing batch);
 * - rsync runs over one multiplexed OpenSSH connection, md5 over one persistent ssh2 connection,
 *   and file lists travel on stdin, never on a command line.
 * An unreachable remote changes no row at all (spec §A8).
 */
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import type { CommandRunner } from './command-runner.js';
import { SuprsyncCommandError, SuprsyncDbError, SuprsyncError, SuprsyncHostKeyError, SuprsyncUnreachableError } from './errors.js';
import type { FilesManager } from './files-manager.js';
import { VerifyStream } from './verify-stream.js';
import { remoteFullPath } from './paths.js';
import { MD5_WORKER_SCRIPT, Md5Worker } from './md5-worker.js';
import { checkRows, type CheckedRow } from './row-check.js';
import { rsyncArgv, runRsync, type RsyncFlags } from './rsync.js';
import { SshSession } from './ssh-session.js';

/** Settings of the copy step (agent flags, spec §A1). */
export interface FileHandlerOptions extends RsyncFlags {
  archiveName: string;
  /** `--remote-basedir`. */
  remoteBasedir: string;
  /** Deadline for all rsync calls of one batch, ms (`--copy-timeout`); undefined = none. */
  copyTimeoutMs?: number;
  /** Timeout of each remote md5 command, ms (`--cmd-timeout`); undefined = none. */
  cmdTimeoutMs?: number;
  /** Resolved `--allowed-root` dirs; undefined = no limit. */
  allowedRoots?: readonly string[];
}

/** What one copy step did (feeds `session.data.last_copy`). */
export interface CopyReport {
  /** `[local_path, md5_ok]` for every row attempted and recorded (Python `op.files`). */
  files: [string, boolean][];
  /** Rows refused before the copy, with the reason. */
  rejected: { local_path: string; error: string }[];
  /** The failure that stopped the batch early, if any. Rows of unfinished chunks are unchanged. */
  failure?: SuprsyncError;
}

/** Copies an archive's rows to the remote (or local dest) and verifies them by md5. */
export class FileHandler {
  private readonly worker: Md5Worker;
  private staleTempsChecked = false;

  constructor(
    private readonly fm: FilesManager,
    private readonly runner: CommandRunner,
    private readonly opts: FileHandlerOptions,
    private readonly log?: Logger,
  ) {
    this.worker = new Md5Worker(() => runner.startWorker(MD5_WORKER_SCRIPT));
  }

  /** Stops the md5 worker (the runner's connections are closed by its owner). */
  close(): void { this.worker.close(); }

  private get dest(): string {
    return this.runner instanceof SshSession ? `${this.runner.destination}:${this.opts.remoteBasedir}` : this.opts.remoteBasedir;
  }

  /**
   * One batch: select up to `numFiles` copyable rows, check, rsync, md5, record.
   * @throws SuprsyncDbError (the sqlite path of the loop); every other fault is in `failure`.
   */
  async copyFiles(maxCopyAttempts?: number | null, numFiles?: number | null): Promise<CopyReport> {
    const rows = await this.fm.getCopyableFiles(this.opts.archiveName, maxCopyAttempts, numFiles);
    const report: CopyReport = { files: [], rejected: [] };
    if (rows.length === 0) return report;
    const outcomes: { id: number; local_path: string; ok: boolean }[] = [];
    const { ok, rejected } = await checkRows(rows, this.opts.allowedRoots);
    const deadline = this.opts.copyTimeoutMs === undefined ? undefined : Date.now() + this.opts.copyTimeoutMs;
    try {
      // ssh2 + md5 worker connect while the first rsync runs (and becomes the ControlMaster)
      if (ok.length > 0) {
        // rows whose last copy failed its md5 are re-sent even if size and mtime match (a corrupt
        // remote copy would otherwise never be replaced, spec §A5.2 step 4 [FLAW])
        const ready = this.connect(deadline);
        const retry = ok.filter((c) => (c.row.failed_copy_attempts ?? 0) > 0);
        const fresh = ok.filter((c) => (c.row.failed_copy_attempts ?? 0) === 0);
        if (fresh.length > 0) await this.copyStream(fresh, deadline, report, outcomes, ready, false);
        if (retry.length > 0) await this.copyStream(retry, deadline, report, outcomes, ready, true);
      }
    } catch (err) {
      if (err instanceof SuprsyncDbError || !(err instanceof SuprsyncError)) throw err;
      report.failure = err;
      if (err instanceof SuprsyncUnreachableError || err instanceof SuprsyncHostKeyError) return report; // counts nothing against the files
    } finally {
      // `files` in batch (id) order, as Python lists them, whatever order the checks finished in
      report.files = outcomes.sort((a, b) => a.id - b.id).map((o) => [o.local_path, o.ok]);
    }
    for (const r of rejected) this.log?.warn({ local_path: r.row.local_path, reason: r.error }, 'file rejected before copy');
    await this.fm.recordCopyResults(rejected.map((r) => ({ id: r.row.id, failed: true })));
    for (const r of rejected) {
      report.rejected.push({ local_path: r.row.local_path, error: r.error });
      outcomes.push({ id: r.row.id, local_path: r.row.local_path, ok: false });
    }
    report.files = outcomes.sort((a, b) => a.id - b.id).map((o) => [o.local_path, o.ok]);
    return report;
  }

  private connect(deadline: number | undefined): Promise<void> {
    const ready = this.runner instanceof SshSession
      ? Promise.all([this.runner.connect(remaining(deadline)), this.worker.warm()]).then(() => undefined)
      : Promise.resolve();
    ready.catch(() => undefined); // observed by copyChunks
    return ready;
  }

  /**
   * Once per handler (i.e. after an agent start): removes rsync temp files (`.<name>.XXXXXX`) that
   * a killed predecessor left next to this batch's files on the remote. Failures are only logged.
   */
  private async removeStaleTemps(rows: CheckedRow[]): Promise<void> {
    if (this.staleTempsChecked) return;
    this.staleTempsChecked = true;
    const paths = rows.map((c) => remoteFullPath(this.opts.remoteBasedir, c.row.remote_path)).filter((p) => !p.includes('\n'));
    try {
      const r = await this.runner.exec(STALE_TEMP_SCRIPT, { stdin: Buffer.from(paths.map((p) => `${p}\n`).join('')),
        ...(this.opts.cmdTimeoutMs === undefined ? {} : { timeoutMs: this.opts.cmdTimeoutMs }) });
      if (r.stdout.length > 0) this.log?.warn({ removed: r.stdout.toString().split('\n').filter(Boolean).slice(0, 50) }, 'removed stale rsync temp files');
    } catch (err) {
      this.log?.warn({ err }, 'could not look for stale rsync temp files');
    }
  }

  /** One rsync for the whole batch; md5 of sent files overlaps the transfer (see VerifyStream). */
  private async copyStream(rows: CheckedRow[], deadline: number | undefined, report: CopyReport,
    outcomes: { id: number; local_path: string; ok: boolean }[], ready: Promise<void>, ignoreTimes: boolean): Promise<void> {
    const tmp = await mkdtemp(join(tmpdir(), 'suprsync-'));
    const vs = new VerifyStream(rows, {
      fm: this.fm, worker: this.worker, cmdTimeoutMs: this.opts.cmdTimeoutMs, log: this.log,
      remotePaths: rows.map((c) => remoteFullPath(this.opts.remoteBasedir, c.row.remote_path)),
      onRecorded: (files) => { outcomes.push(...files); },
    });
    try {
      buildTree(tmp, rows);
      const flags = { ...this.opts, outFormat: '%b %n', ignoreTimes, ...(this.runner instanceof SshSession ? { rsh: this.runner.rshCommand() } : {}) };
      const t0 = performance.now();
      const onLine = (line: string): void => { ready.then(() => vs.onRsyncLine(line), () => undefined); };
      const r = await runRsync(rsyncArgv(flags, tmp, this.dest), remaining(deadline), onLine);
      this.log?.debug({ ms: Math.round(performance.now() - t0), files: rows.length, code: r.code }, 'rsync done');
      if (r.code !== 0 && r.code !== 23 && r.code !== 24) {
        throw new SuprsyncCommandError(`rsync returned non-zero exit code ${r.code}: ${r.stderr.trim().slice(0, 500)}`, r.code);
      }
      if (r.code !== 0) this.log?.warn({ code: r.code, stderr: r.stderr.slice(0, 2000) }, 'rsync partial transfer; rows are judged by md5');
      await ready;
      await vs.finish();
      void this.removeStaleTemps(rows); // best effort, off the critical path
    } catch (err) {
      await vs.abandon(); // keep what was verified already
      const connectErr = await ready.then(() => undefined, (e: unknown) => e);
      throw connectErr ?? err; // rsync's exit 255 is better explained by the ssh2 connect error
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
}

/** Symlink tree `<dir>/<remote_path> -> local_path`, copied with `rsync -L` (spec §A5.2 step 3). */
function buildTree(dir: string, chunk: readonly CheckedRow[]): void {
  const made = new Set<string>();
  for (const c of chunk) {
    const p = join(dir, c.row.remote_path);
    const parent = dirname(p);
    if (!made.has(parent)) { mkdirSync(parent, { recursive: true }); made.add(parent); }
    symlinkSync(c.row.local_path, p);
  }
}

/** For each path on stdin, removes `<dir>/.<name>.??????` regular files (rsync's temp names) and prints them. */
const STALE_TEMP_SCRIPT =
  'while IFS= read -r p; do for f in "${p%/*}/.${p##*/}."??????; do [ -f "$f" ] && rm -f -- "$f" && printf \'%s\\n\' "$f"; done; done; true';

function remaining(deadline: number | undefined): number | undefined {
  return deadline === undefined ? undefined : Math.max(1, deadline - Date.now());
}
