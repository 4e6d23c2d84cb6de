/**
 * The copy step of `SupRsyncFileHandler` (spec §A5.2), reworked:
 * - rows are checked first; a bad row fails only itself (one attempt, with a clear error);
 * - the batch is cut into chunks of about `chunkBytes`; rsync of chunk k+1 overlaps the remote md5
 *   of chunk k, and each verified chunk is written to the db at once (no all-or-nothing batch);
 * - rsync runs over one multiplexed OpenSSH connection, md5 over one persistent ssh2 connection,
 *   and file lists travel on stdin, never on a command line.
 * An unreachable remote changes no row at all (spec §A8).
 */
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { mkdtemp, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Logger } from 'pino';
import type { CommandRunner } from './command-runner.js';
import { SuprsyncCommandError, SuprsyncDbError, SuprsyncError, SuprsyncUnreachableError } from './errors.js';
import type { CopyResult, FilesManager } from './files-manager.js';
import { remoteFullPath } from './paths.js';
import { remoteMd5 } from './remote-md5.js';
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
  /** Target bytes per rsync call; default 64 MiB. */
  chunkBytes?: number;
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
  constructor(
    private readonly fm: FilesManager,
    private readonly runner: CommandRunner,
    private readonly opts: FileHandlerOptions,
    private readonly log?: Logger,
  ) {}

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
    const { ok, rejected } = await checkRows(rows, this.opts.allowedRoots);
    const deadline = this.opts.copyTimeoutMs === undefined ? undefined : Date.now() + this.opts.copyTimeoutMs;
    try {
      if (ok.length > 0) {
        if (this.runner instanceof SshSession) await this.runner.connect(remaining(deadline));
        await this.copyChunks(this.chunk(ok), deadline, report);
      }
    } catch (err) {
      if (err instanceof SuprsyncDbError || !(err instanceof SuprsyncError)) throw err;
      report.failure = err;
      if (err instanceof SuprsyncUnreachableError) return report; // counts nothing against the files
    }
    for (const r of rejected) this.log?.warn({ local_path: r.row.local_path, reason: r.error }, 'file rejected before copy');
    await this.fm.recordCopyResults(rejected.map((r) => ({ id: r.row.id, failed: true })));
    for (const r of rejected) {
      report.rejected.push({ local_path: r.row.local_path, error: r.error });
      report.files.push([r.row.local_path, false]);
    }
    return report;
  }

  private chunk(rows: CheckedRow[]): CheckedRow[][] {
    const limit = this.opts.chunkBytes ?? 64 * 1024 * 1024;
    const chunks: CheckedRow[][] = [];
    let cur: CheckedRow[] = [];
    let bytes = 0;
    for (const r of rows) {
      cur.push(r);
      bytes += r.size;
      if (bytes >= limit) { chunks.push(cur); cur = []; bytes = 0; }
    }
    if (cur.length > 0) chunks.push(cur);
    return chunks;
  }

  /** rsync chunk k while the md5 of chunk k-1 runs; md5 checks run one after another. */
  private async copyChunks(chunks: CheckedRow[][], deadline: number | undefined, report: CopyReport): Promise<void> {
    const tmp = await mkdtemp(join(tmpdir(), 'suprsync-'));
    let verify: Promise<void> = Promise.resolve();
    let verifyFailed = false;
    try {
      for (const [k, chunk] of chunks.entries()) {
        if (verifyFailed) break;
        const dir = join(tmp, String(k));
        buildTree(dir, chunk);
        const argv = rsyncArgv({ ...this.opts, ...(this.runner instanceof SshSession ? { rsh: this.runner.rshCommand() } : {}) }, dir, this.dest);
        const r = await runRsync(argv, remaining(deadline));
        if (r.code !== 0 && r.code !== 23 && r.code !== 24) {
          throw new SuprsyncCommandError(`rsync returned non-zero exit code ${r.code}: ${r.stderr.trim().slice(0, 500)}`, r.code);
        }
        if (r.code !== 0) this.log?.warn({ code: r.code, stderr: r.stderr.slice(0, 2000) }, 'rsync partial transfer; rows are judged by md5');
        const copiedAt = Date.now() / 1000;
        verify = verify.then(() => this.verifyChunk(chunk, copiedAt, report));
        verify.catch(() => { verifyFailed = true; });
      }
    } catch (err) {
      await verify.catch(() => undefined); // keep what earlier chunks verified
      throw err;
    } finally {
      await verify.catch(() => undefined);
      rmSync(tmp, { recursive: true, force: true });
    }
    await verify;
  }

  private async verifyChunk(chunk: CheckedRow[], copiedAt: number, report: CopyReport): Promise<void> {
    const paths = chunk.map((c) => remoteFullPath(this.opts.remoteBasedir, c.row.remote_path));
    const { md5s, stderr } = await remoteMd5(this.runner, paths, this.opts.cmdTimeoutMs);
    if (stderr) this.log?.warn({ stderr: stderr.slice(0, 2000) }, 'remote md5sum reported errors');
    const results: CopyResult[] = [];
    for (const [i, c] of chunk.entries()) {
      const md5 = md5s.get(paths[i]!);
      const ok = md5 === c.row.local_md5sum;
      if (!ok) {
        this.log?.warn({ local_path: c.row.local_path, attempts: (c.row.failed_copy_attempts ?? 0) + 1,
          local_md5: c.row.local_md5sum, remote_md5: md5 ?? null }, 'Copy failed for file');
      }
      results.push({ id: c.row.id, copied: copiedAt, failed: !ok, ...(md5 ? { remoteMd5sum: md5 } : {}),
        ...(ok && (await sameFile(c)) ? { identity: { size: c.size, mtimeNs: c.mtimeNs } } : {}) });
    }
    await this.fm.recordCopyResults(results);
    for (const [i, c] of chunk.entries()) report.files.push([c.row.local_path, !results[i]!.failed]);
    this.log?.info({ files: chunk.length, failed: results.filter((r) => r.failed).length }, 'chunk copied and verified');
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

/** True if the local file still has the size/mtime it had before rsync read it. */
async function sameFile(c: CheckedRow): Promise<boolean> {
  const st = await stat(c.row.local_path, { bigint: true }).catch(() => undefined);
  return st !== undefined && Number(st.size) === c.size && st.mtimeNs === c.mtimeNs;
}

function remaining(deadline: number | undefined): number | undefined {
  return deadline === undefined ? undefined : Math.max(1, deadline - Date.now());
}
