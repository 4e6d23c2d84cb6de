/**
 * Overlaps the remote md5 with the transfer: rsync reports each file once it has been sent
 * (`--out-format` with `%b` logs after the transfer), those files are md5-summed in batches while
 * rsync goes on, and a row whose md5 matches is final and recorded at once. A row that does not
 * match yet (the receiver may still be renaming it into place, or an old copy is there) is checked
 * again in one last pass after rsync has exited; only that pass can count a failure.
 *
 * With `md5ByRsync` (rsync runs with `--checksum-choice=md5 --out-format='%b %C %n'`) a sent file
 * comes with the MD5 the receiver verified its rebuilt file against, so no remote md5 is run for
 * it. These sums are trusted only once rsync has exited 0 (with 23/24 a file may have failed its
 * verification and been discarded), and only when they equal `local_md5sum`: a differing `%C`
 * (file changed since registration, or a checksum other than MD5) is checked again by the remote
 * md5 worker before a failed attempt is counted, exactly as without `%C`. Files rsync did not send
 * (already complete on the remote) have no line and go through the remote md5 worker too.
 */
import type { Logger } from 'pino';
import type { CopyResult, FilesManager } from './files-manager.js';
import type { Md5Worker } from './md5-worker.js';
import type { CheckedRow } from './row-check.js';
import { statSync } from 'node:fs';
import { posix } from 'node:path';
import { parseOutFormatLine } from './out-format.js';

const BATCH_FILES = 20000;
const BATCH_BYTES = 256 * 1024 * 1024;
const BATCH_DELAY_MS = 20;
const RETRY_DELAY_MS = 25;
const RETRY_LIMIT = 200;

/** Options of {@link VerifyStream}. */
export interface VerifyStreamOptions {
  fm: FilesManager;
  worker: Md5Worker;
  /** Remote path of each row (same order as `rows`). */
  remotePaths: readonly string[];
  cmdTimeoutMs?: number;
  log?: Logger;
  /** rsync prints `%C` (MD5) per sent file (`--out-format='%b %C %n'`, `--checksum-choice=md5`). */
  md5ByRsync?: boolean;
  /** Called with the row ids and outcomes recorded by each check. */
  onRecorded(files: { id: number; local_path: string; ok: boolean }[]): void;
}

/** Collects transferred files, md5s them in the background, records the results. */
export class VerifyStream {
  private readonly byTreePath = new Map<string, number>();
  private readonly done = new Set<number>();
  private pending: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private readonly retries = new Map<number, number>();
  private retryTimer: NodeJS.Timeout | undefined;
  private retryList: number[] = [];
  private chain: Promise<void> = Promise.resolve();
  private error: unknown;
  /** `%C` of each sent file (row index → md5); the last line of a file wins (rsync may re-send). */
  private readonly rsyncSums = new Map<number, string>();

  constructor(private readonly rows: readonly CheckedRow[], private readonly o: VerifyStreamOptions) {
    rows.forEach((r, i) => this.byTreePath.set(posix.normalize(r.row.remote_path), i));
  }

  /** Feeds one rsync `--out-format` line (`%b %n`, or `%b %C %n` with `md5ByRsync`). */
  onRsyncLine(line: string): void {
    const p = parseOutFormatLine(line, this.o.md5ByRsync ?? false);
    const i = p && !p.name.endsWith('/') ? this.byTreePath.get(p.name) : undefined;
    if (i === undefined || this.done.has(i)) return;
    if (p?.md5 !== undefined) {
      this.rsyncSums.set(i, p.md5); // judged in finish(), once rsync has exited 0
      return;
    }
    this.pending.push(i);
    this.timer ??= setTimeout(() => { this.timer = undefined; this.pump(); }, BATCH_DELAY_MS);
  }

  /**
   * One md5 job at a time; whatever arrived while it ran goes into the next one, so the jobs grow
   * with the backlog and their fixed costs (a round trip, a transaction) stay small.
   */
  private pump(): void {
    if (this.busy || this.pending.length === 0 || this.error) return;
    const batch: number[] = [];
    let bytes = 0;
    while (this.pending.length > 0 && batch.length < BATCH_FILES && bytes < BATCH_BYTES) {
      const i = this.pending.shift()!;
      batch.push(i);
      bytes += this.rows[i]!.size;
    }
    this.busy = true;
    this.chain = this.check(batch, false)
      .catch((err: unknown) => { this.error ??= err; })
      .finally(() => { this.busy = false; this.pump(); });
  }

  private async check(batch: number[], final: boolean): Promise<void> {
    const paths = batch.map((i) => this.o.remotePaths[i]!);
    const t0 = performance.now();
    const { md5s, stderr } = await this.o.worker.md5(paths, this.o.cmdTimeoutMs);
    const t1 = performance.now();
    if (final && stderr) this.o.log?.warn({ stderr: stderr.slice(0, 2000) }, 'remote md5sum reported errors');
    const results: CopyResult[] = [];
    const files: { id: number; local_path: string; ok: boolean }[] = [];
    const now = Date.now() / 1000;
    batch.forEach((i, k) => {
      const c = this.rows[i]!;
      const md5 = md5s.get(paths[k]!);
      const ok = md5 === c.row.local_md5sum;
      if (!ok && !final) {
        if (md5 === undefined) this.retryLater(i); // sent but not renamed into place yet
        return; // the final pass decides
      }
      if (!ok) {
        this.o.log?.warn({ local_path: c.row.local_path, attempts: (c.row.failed_copy_attempts ?? 0) + 1,
          local_md5: c.row.local_md5sum, remote_md5: md5 ?? null }, 'Copy failed for file');
      }
      this.done.add(i);
      results.push({ id: c.row.id, copied: now, failed: !ok, ...(md5 ? { remoteMd5sum: md5 } : {}),
        ...(ok && sameFile(c) ? { identity: { size: c.size, mtimeNs: c.mtimeNs } } : {}) });
      files.push({ id: c.row.id, local_path: c.row.local_path, ok });
    });
    await this.o.fm.recordCopyResults(results);
    this.o.onRecorded(files);
    this.o.log?.debug({ files: batch.length, verified: results.length, final, md5_ms: Math.round(t1 - t0), record_ms: Math.round(performance.now() - t1) }, 'md5 batch');
  }

  /** A sent file not yet on the remote is asked again shortly (cheap: md5sum fails at open). */
  private retryLater(i: number): void {
    const n = (this.retries.get(i) ?? 0) + 1;
    this.retries.set(i, n);
    if (n > RETRY_LIMIT) return;
    this.retryList.push(i);
    this.retryTimer ??= setTimeout(() => {
      this.retryTimer = undefined;
      this.pending.push(...this.retryList.splice(0));
      this.pump();
    }, RETRY_DELAY_MS);
  }

  private async drain(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.retryList = [];
    while (this.busy) await this.chain;
  }

  /** Waits for the background checks (rsync failed or timed out: unverified rows stay unchanged). */
  async abandon(): Promise<void> {
    this.pending = [];
    await this.drain();
  }

  /**
   * After rsync ended with 0, 23 or 24: records the rows whose `%C` matched (only if
   * `rsyncExitedOk`), checks every other row on the remote, records all.
   * @throws the first md5/db error of any pass.
   */
  async finish(rsyncExitedOk = false): Promise<void> {
    this.pending = [];
    await this.drain();
    if (this.error) throw this.error;
    if (rsyncExitedOk) await this.recordRsyncSums();
    const rest = this.rows.map((_, i) => i).filter((i) => !this.done.has(i));
    for (let k = 0; k < rest.length; k += BATCH_FILES) await this.check(rest.slice(k, k + BATCH_FILES), true);
  }

  /** Records the rows whose `%C` equals their `local_md5sum` (one transaction). */
  private async recordRsyncSums(): Promise<void> {
    const results: CopyResult[] = [];
    const files: { id: number; local_path: string; ok: boolean }[] = [];
    const now = Date.now() / 1000;
    for (const [i, md5] of this.rsyncSums) {
      const c = this.rows[i]!;
      if (this.done.has(i) || md5 !== c.row.local_md5sum) continue; // a mismatch is read again on the remote
      this.done.add(i);
      results.push({ id: c.row.id, copied: now, failed: false, remoteMd5sum: md5,
        ...(sameFile(c) ? { identity: { size: c.size, mtimeNs: c.mtimeNs } } : {}) });
      files.push({ id: c.row.id, local_path: c.row.local_path, ok: true });
    }
    await this.o.fm.recordCopyResults(results);
    this.o.onRecorded(files);
    this.o.log?.debug({ verified: results.length, by: 'rsync %C' }, 'md5 batch');
  }

  /** The first error of a background check, if any. */
  get failure(): unknown { return this.error; }
}

/** True if the local file still has the size/mtime it had before rsync read it. */
function sameFile(c: CheckedRow): boolean {
  const st = statSync(c.row.local_path, { bigint: true, throwIfNoEntry: false });
  return st !== undefined && Number(st.size) === c.size && st.mtimeNs === c.mtimeNs;
}
