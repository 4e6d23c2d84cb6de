/**
 * Where remote commands (md5) run: on the remote host over one persistent ssh2 connection
 * ({@link SshSession}), or locally in local mode ({@link LocalRunner}, spec §A9).
 * Commands take their arguments on stdin, so no command line grows with the batch.
 */
import { spawn } from 'node:child_process';
import { SuprsyncTimeoutError } from './errors.js';
import type { WorkerProcess } from './md5-worker.js';

/** Output of one command. */
export interface ExecResult {
  /** Exit status; null if killed by a signal or the channel closed without one. */
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Options of {@link CommandRunner.exec}. */
export interface ExecOptions {
  /** Bytes written to the command's stdin (then closed). */
  stdin?: Buffer;
  /** Kill the command after this many ms; undefined = no timeout (Python `--cmd-timeout` None). */
  timeoutMs?: number;
}

/** Runs shell commands where the archive lives. */
export interface CommandRunner {
  /**
   * Runs `cmd` through `sh -c`.
   * @throws SuprsyncTimeoutError when `timeoutMs` elapses (the command is killed);
   *   SuprsyncUnreachableError when the remote cannot be reached.
   */
  exec(cmd: string, opts?: ExecOptions): Promise<ExecResult>;
  /** Starts a long-lived `sh -c cmd` (the md5 worker). */
  startWorker(cmd: string): Promise<WorkerProcess>;
  /** Releases connections. Idempotent. */
  close(): Promise<void>;
}

/** Runs commands on this host (local mode). */
export class LocalRunner implements CommandRunner {
  exec(cmd: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      const child = spawn('sh', ['-c', cmd], { stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      let err = '';
      let timedOut = false;
      const timer = opts.timeoutMs === undefined ? undefined : setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, opts.timeoutMs);
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => { if (err.length < 65536) err += b.toString(); });
      child.stdin.on('error', () => { /* EPIPE when the command exits early: its status tells */ });
      child.on('error', (e) => { clearTimeout(timer); reject(e); });
      child.on('close', (code) => {
        clearTimeout(timer);
        if (timedOut) reject(new SuprsyncTimeoutError(`command timed out after ${opts.timeoutMs} ms: ${cmd}`));
        else resolve({ code, stdout: Buffer.concat(out), stderr: err });
      });
      child.stdin.end(opts.stdin ?? Buffer.alloc(0));
    });
  }

  async startWorker(cmd: string): Promise<WorkerProcess> {
    const child = spawn('sh', ['-c', cmd], { stdio: ['pipe', 'pipe', 'pipe'] });
    const closed = new Promise<void>((resolve) => { child.once('close', () => resolve()); child.once('error', () => resolve()); });
    return { stdin: child.stdin, stdout: child.stdout, stderr: child.stderr, closed, kill: () => { child.kill('SIGKILL'); } };
  }

  async close(): Promise<void> { /* nothing held */ }
}
