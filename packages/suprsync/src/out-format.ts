/**
 * Parsing of rsync's `--out-format` lines (one per transferred file, printed by the sender after
 * the file was sent). Two formats are used:
 * - `%b %n`: bytes sent and the name (the file is then md5-summed on the remote);
 * - `%b %C %n` with `--checksum-choice=md5`: `%C` is the MD5 of the whole file that the receiver
 *   checked its rebuilt file against (rsync re-sends or fails a file on a mismatch). It is 32 hex
 *   digits, or 32 spaces when rsync has no unsalted checksum for the file (then: remote md5).
 * rsync writes every byte below 0x20 (and, in the C locale, every byte above 0x7e) of a name as
 * `\#ooo` (octal), and a backslash only when `#` and three digits follow it, so a name never
 * spans lines and {@link unescapeRsyncName} restores it exactly.
 */

/** One parsed `--out-format` line. */
export interface OutFormatLine {
  /** Path relative to the transfer root (a directory ends in `/`). */
  name: string;
  /** `%C`, when the format has it and rsync printed a checksum. */
  md5?: string;
}

/** `--out-format` without the checksum (verification by the remote md5 worker). */
export const OUT_FORMAT_PLAIN = '%b %n';
/** `--out-format` with the whole-file MD5 (needs `--checksum-choice=md5`, rsync >= 3.2 on both ends). */
export const OUT_FORMAT_MD5 = '%b %C %n';

/** Undoes rsync's `\#ooo` escapes (bytes, decoded as UTF-8). */
export function unescapeRsyncName(s: string): string {
  if (!s.includes('\\#')) return s;
  const parts: Buffer[] = [];
  let last = 0;
  for (const m of s.matchAll(/\\#([0-7]{3})/g)) {
    parts.push(Buffer.from(s.slice(last, m.index), 'utf8'), Buffer.from([parseInt(m[1]!, 8) & 0xff]));
    last = m.index + m[0].length;
  }
  parts.push(Buffer.from(s.slice(last), 'utf8'));
  return Buffer.concat(parts).toString('utf8');
}

/**
 * Parses one line of {@link OUT_FORMAT_PLAIN} (`withMd5` false) or {@link OUT_FORMAT_MD5}.
 * @returns undefined for lines that are not in the format (e.g. rsync warnings).
 */
export function parseOutFormatLine(line: string, withMd5: boolean): OutFormatLine | undefined {
  if (!withMd5) {
    const m = /^\d+ (.+)$/s.exec(line);
    return m ? { name: unescapeRsyncName(m[1]!) } : undefined;
  }
  const m = /^\d+ (.{32}) (.+)$/s.exec(line);
  if (!m) return undefined;
  const sum = m[1]!;
  const name = unescapeRsyncName(m[2]!);
  return /^[0-9a-f]{32}$/.test(sum) ? { name, md5: sum } : { name };
}
