/**
 * Parsing of `md5sum -z` output, as produced by the md5 worker (md5-worker.ts). Python passed the
 * paths as arguments to one `ssh ... md5sum` and parsed whitespace-split lines (spec §A5.2 step 6),
 * which broke past the kernel's argument limit and on names with spaces.
 */

/** Parses `md5sum -z` output (`<32 hex>  <path>\0` per file) into path → md5. */
export function parseMd5Output(out: Buffer): Map<string, string> {
  const map = new Map<string, string>();
  for (const rec of out.toString('utf8').split('\0')) {
    const m = /^\\?([0-9a-f]{32}) [ *](.*)$/s.exec(rec);
    if (m) map.set(m[2]!, m[1]!);
  }
  return map;
}
