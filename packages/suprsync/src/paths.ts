/**
 * Path helpers of spec §A3 (`split_path`, `check_timecode`) and the path checks that replace
 * Python's unchecked joins (spec §A5.2 [DECIDE]).
 */
import { posix, isAbsolute, resolve, sep } from 'node:path';

/** Python `normpath` then strip `/` and split (spec §A3 `split_path`). */
export function splitPath(p: string): string[] {
  const norm = posix.normalize(p).replace(/^\/+|\/+$/g, '');
  if (norm === '' || norm === '.') return [];
  return norm.split('/');
}

/**
 * The 5-digit timecode of a remote path, or null (spec §A3 `check_timecode`).
 * Deliberately strict (`^\d{5}$`), the recommended [DECIDE]: Python's `int()` would also accept
 * `" 16861"`, `"1_6861"` or `"-1234"`, which no real writer produces.
 */
export function checkTimecode(remotePath: string): number | null {
  const first = splitPath(remotePath)[0];
  if (first === undefined || !/^\d{5}$/.test(first)) return null;
  return Number(first);
}

/**
 * Why a remote path is unusable, or null if it is fine: it must be relative, non-empty and stay
 * inside the remote basedir after normalisation.
 */
export function remotePathProblem(remotePath: string): string | null {
  if (remotePath === '') return 'remote_path is empty';
  if (remotePath.startsWith('/')) return `remote_path is absolute: ${remotePath}`;
  const norm = posix.normalize(remotePath);
  if (norm === '.' || norm.endsWith('/')) return `remote_path names a directory: ${remotePath}`;
  if (norm === '..' || norm.startsWith('../')) return `remote_path escapes the basedir: ${remotePath}`;
  return null;
}

/** `normpath(join(basedir, remotePath))`, as Python builds the remote md5sum argument. */
export function remoteFullPath(basedir: string, remotePath: string): string {
  return posix.normalize(posix.join(basedir, remotePath));
}

/** True if the absolute `path` lies inside one of `roots` (all already resolved). */
export function isInsideRoots(path: string, roots: readonly string[]): boolean {
  if (!isAbsolute(path)) return false;
  const p = resolve(path);
  return roots.some((r) => p === r || p.startsWith(r.endsWith(sep) ? r : r + sep));
}
