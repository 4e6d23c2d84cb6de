/**
 * One `rsync` child process (spec §A5.2 step 4): argv built like Python's, stdin closed, stderr
 * kept for the log, SIGKILL on timeout.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { SuprsyncTimeoutError, SuprsyncToolError } from './errors.js';

/** rsync flags of the agent (Python `SupRsyncFileHandler` arguments). */
export interface RsyncFlags {
  /** `--chmod`; '' drops `-p --chmod`. Default `g+rwX,o+rX`. */
  chmod?: string;
  /** `-z`. */
  compression?: boolean;
  /** `--bwlimit=<value>`, verbatim. */
  bwlimit?: string | null;
  /** `--rsh` command (ssh mode only). */
  rsh?: string;
  /** `--out-format=<fmt>` (ours: `%b %n` or `%b %C %n`, to learn which files were sent). */
  outFormat?: string;
  /** `--checksum-choice=<value>` (ours: `md5`, so that `%C` is the file's MD5; rsync >= 3.2). */
  checksumChoice?: string;
  /** `-I`: send even when size and mtime match (for rows whose last copy failed its md5). */
  ignoreTimes?: boolean;
}

/** `rsync -Lrt [-p --chmod=X] [-z] [--bwlimit=X] [--rsh CMD] <src>/ <dest>`. */
export function rsyncArgv(flags: RsyncFlags, srcDir: string, dest: string): string[] {
  const argv = ['-Lrt'];
  const chmod = flags.chmod ?? 'g+rwX,o+rX';
  if (chmod !== '') argv.push('-p', `--chmod=${chmod}`);
  if (flags.compression) argv.push('-z');
  if (flags.ignoreTimes) argv.push('-I');
  if (flags.bwlimit) argv.push(`--bwlimit=${flags.bwlimit}`);
  if (flags.rsh) argv.push('--rsh', flags.rsh);
  if (flags.checksumChoice) argv.push(`--checksum-choice=${flags.checksumChoice}`);
  if (flags.outFormat) argv.push(`--out-format=${flags.outFormat}`);
  argv.push(srcDir.endsWith('/') ? srcDir : `${srcDir}/`, dest);
  return argv;
}

/** Exit status and stderr of rsync. */
export interface RsyncResult { code: number | null; stderr: string }

/**
 * Runs rsync.
 * @throws SuprsyncTimeoutError after `timeoutMs` (rsync killed); SuprsyncToolError if rsync is missing.
 */
export function runRsync(argv: readonly string[], timeoutMs?: number, onLine?: (line: string) => void): Promise<RsyncResult> {
  return new Promise((resolve, reject) => {
    // own process group, so a timeout also kills rsync's ssh (which would keep the pipes open)
    const child = spawn('rsync', argv, { stdio: ['ignore', onLine ? 'pipe' : 'ignore', 'pipe'], detached: true });
    const stderrStream = child.stderr!;
    if (onLine) createInterface({ input: child.stdout! }).on('line', onLine);
    let stderr = '';
    let timedOut = false;
    const timer = timeoutMs === undefined ? undefined : setTimeout(() => {
      timedOut = true;
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { child.kill('SIGKILL'); }
    }, Math.max(1, timeoutMs));
    stderrStream.on('data', (b: Buffer) => { if (stderr.length < 65536) stderr += b.toString(); });
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(err.code === 'ENOENT' ? new SuprsyncToolError('rsync not found on PATH; install rsync', { cause: err }) : err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut) reject(new SuprsyncTimeoutError(`rsync timed out after ${timeoutMs} ms`));
      else resolve({ code, stderr });
    });
  });
}

let localMd5Support: boolean | undefined;
/** True if the local rsync is >= 3.2 (`--checksum-choice`, `%C` of an unsalted MD5). */
export function localRsyncHasMd5(): boolean {
  if (localMd5Support === undefined) {
    try {
      const m = /version\s+v?(\d+)\.(\d+)/.exec(execFileSync('rsync', ['--version'], { encoding: 'utf8' }));
      localMd5Support = m !== null && (Number(m[1]) > 3 || (Number(m[1]) === 3 && Number(m[2]) >= 2));
    } catch {
      localMd5Support = false; // no rsync: runRsync reports it
    }
  }
  return localMd5Support;
}
