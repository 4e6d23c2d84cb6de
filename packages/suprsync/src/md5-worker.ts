/**
 * A long-lived md5 worker on the remote (or local) host: one `sh` started once over the ssh2
 * connection, fed jobs on stdin. Each job is a decimal byte count and a newline, then that many
 * bytes of NUL-separated paths; the worker answers with `md5sum -z` records and `END <status>\0`.
 * Compared with one exec per batch this saves a session (and the login shell's rc files) per
 * md5 call, which is what makes overlapping md5 with rsync cheap. Needs POSIX sh, GNU `head -c`,
 * `xargs -0` and `md5sum -z` (coreutils) on the remote.
 */
import type { Readable, Writable } from 'node:stream';
import { SuprsyncCommandError, SuprsyncTimeoutError, SuprsyncUnreachableError } from './errors.js';
import { parseMd5Output } from './remote-md5.js';

/** The worker's shell loop (`read` reads byte by byte from a pipe, `head -c` never over-reads). */
export const MD5_WORKER_SCRIPT =
  `while IFS= read -r n; do head -c "$n" | LC_ALL=C xargs -0 -r md5sum -z --; printf 'END %d\\0' "$?"; done`;

/** A started worker process or channel. */
export interface WorkerProcess {
  stdin: Writable;
  stdout: Readable;
  stderr: Readable;
  /** Resolves when the process/channel is gone. */
  closed: Promise<void>;
  kill(): void;
}

interface Job { resolve(r: { md5s: Map<string, string>; stderr: string }): void; reject(e: Error): void }

/** Runs md5 jobs one after another on one worker; restarts it after a failure. */
export class Md5Worker {
  private proc: WorkerProcess | undefined;
  private starting: Promise<WorkerProcess> | undefined;
  private buf: Buffer = Buffer.alloc(0);
  private stderr = '';
  private job: Job | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly start: () => Promise<WorkerProcess>) {}

  /** Starts the worker now (e.g. while other connections are being set up). */
  async warm(): Promise<void> { await this.ensure(); }

  private async ensure(): Promise<WorkerProcess> {
    if (this.proc) return this.proc;
    this.starting ??= this.start().then((p) => {
      this.proc = p;
      this.buf = Buffer.alloc(0);
      this.stderr = '';
      // output of a worker killed after a timeout must not leak into the next worker's job
      p.stdout.on('data', (b: Buffer) => { if (this.proc === p) this.onData(b); });
      p.stderr.on('data', (b: Buffer) => { if (this.proc === p && this.stderr.length < 65536) this.stderr += b.toString(); });
      p.stdin.on('error', () => { /* reported through `closed` */ });
      void p.closed.then(() => this.onClosed(p));
      return p;
    }).finally(() => { this.starting = undefined; });
    return this.starting;
  }

  private onClosed(p: WorkerProcess): void {
    if (this.proc !== p) return;
    this.proc = undefined;
    this.job?.reject(new SuprsyncUnreachableError('md5 worker connection closed'));
    this.job = undefined;
  }

  private onData(b: Buffer): void {
    this.buf = this.buf.length === 0 ? b : Buffer.concat([this.buf, b]);
    // a terminator is `END <n>\0` at the start of a record; md5 records start with 32 hex digits
    const end = this.buf.subarray(0, 4).toString() === 'END ' ? 0 : this.buf.indexOf('\0END ') + 1;
    if (end <= 0 && this.buf.subarray(0, 4).toString() !== 'END ') return;
    const stop = this.buf.indexOf(0, end);
    if (stop < 0 || !this.job) return;
    const status = Number(this.buf.subarray(end + 4, stop).toString());
    const records = this.buf.subarray(0, end);
    this.buf = this.buf.subarray(stop + 1);
    const job = this.job;
    this.job = undefined;
    const stderr = this.stderr;
    this.stderr = '';
    // 123 = some file could not be read (judged per row); a usage error must not burn attempts
    if (status !== 0 && (status !== 123 || /invalid option|unrecognized option/.test(stderr))) job.reject(new SuprsyncCommandError(`remote md5sum failed (exit ${status}): ${stderr.slice(0, 500)}`, status));
    else job.resolve({ md5s: parseMd5Output(records), stderr });
  }

  /**
   * md5 of `paths`; missing files are absent from the map.
   * @throws SuprsyncTimeoutError (the worker is killed), SuprsyncUnreachableError, SuprsyncCommandError.
   */
  md5(paths: readonly string[], timeoutMs?: number): Promise<{ md5s: Map<string, string>; stderr: string }> {
    const run = this.queue.then(() => this.runJob(paths, timeoutMs));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async runJob(paths: readonly string[], timeoutMs?: number): Promise<{ md5s: Map<string, string>; stderr: string }> {
    if (paths.length === 0) return { md5s: new Map(), stderr: '' };
    const p = await this.ensure();
    const body = Buffer.from(paths.map((x) => `${x}\0`).join(''), 'utf8');
    return new Promise((resolve, reject) => {
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
        this.job = undefined;
        this.proc = undefined;
        p.kill();
        reject(new SuprsyncTimeoutError(`remote md5sum timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.job = {
        resolve: (r) => { clearTimeout(timer); resolve(r); },
        reject: (e) => { clearTimeout(timer); reject(e); },
      };
      p.stdin.write(`${body.length}\n`);
      p.stdin.write(body);
    });
  }

  /** Stops the worker. */
  close(): void {
    this.proc?.stdin.end();
    this.proc?.kill();
    this.proc = undefined;
  }
}
