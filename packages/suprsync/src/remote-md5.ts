/**
 * md5 of many files where the archive lives, without a command line that grows with the batch:
 * the NUL-separated paths go to `xargs -0 md5sum -z` on stdin (spec §A5.2 step 6 passed them as
 * arguments to one `ssh ... md5sum` and broke past the kernel's argument limit and on spaces).
 */
import type { CommandRunner } from './command-runner.js';
import { SuprsyncCommandError } from './errors.js';

/** The remote command. `-r`: nothing to run for an empty list; `-z`: NUL-terminated, unescaped. */
export const MD5_COMMAND = 'LC_ALL=C xargs -0 -r md5sum -z --';

/** Parses `md5sum -z` output (`<32 hex>  <path>\0` per file) into path → md5. */
export function parseMd5Output(out: Buffer): Map<string, string> {
  const map = new Map<string, string>();
  for (const rec of out.toString('utf8').split('\0')) {
    const m = /^\\?([0-9a-f]{32}) [ *](.*)$/s.exec(rec);
    if (m) map.set(m[2]!, m[1]!);
  }
  return map;
}

/**
 * md5 of each path (absolute, or relative to the remote login dir). Missing or unreadable files
 * are simply absent from the result (md5sum reports them, xargs exits 123).
 * @throws SuprsyncCommandError for any other exit status; SuprsyncTimeoutError on timeout.
 */
export async function remoteMd5(runner: CommandRunner, paths: readonly string[], timeoutMs?: number): Promise<{ md5s: Map<string, string>; stderr: string }> {
  if (paths.length === 0) return { md5s: new Map(), stderr: '' };
  const stdin = Buffer.from(paths.map((p) => `${p}\0`).join(''), 'utf8');
  const r = await runner.exec(MD5_COMMAND, { stdin, ...(timeoutMs === undefined ? {} : { timeoutMs }) });
  if (r.code !== 0 && r.code !== 123) {
    throw new SuprsyncCommandError(`remote md5sum failed (exit ${r.code}): ${r.stderr.slice(0, 500)}`, r.code);
  }
  return { md5s: parseMd5Output(r.stdout), stderr: r.stderr };
}
