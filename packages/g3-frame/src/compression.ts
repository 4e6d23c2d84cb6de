/** Compression by file-name suffix (g3-format.md §4). */
import { G3UnsupportedError } from './errors.js';

/** Compression of a G3 file, chosen by suffix only. */
export type G3Compression = 'none' | 'gzip' | 'bzip2' | 'xz';

/**
 * Compression for a path: `.gz` → gzip, `.bz2` → bzip2, `.xz` → xz, anything else plain. Like
 * the 2017–2025 spt3g readers, only the trailing suffix is looked at (current spt3g also wants
 * `.g3` before it; we do not insist).
 */
export function compressionForPath(path: string): G3Compression {
  if (path.endsWith('.gz')) return 'gzip';
  if (path.endsWith('.bz2')) return 'bzip2';
  if (path.endsWith('.xz')) return 'xz';
  return 'none';
}

/** @internal */
export function unsupported(what: string): never {
  throw new G3UnsupportedError(what);
}
