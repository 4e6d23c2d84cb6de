/** rsync `--out-format` lines, as rsync 3.x prints them (escapes checked against the real rsync). */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { md5Bytes } from '../src/index.js';
import { OUT_FORMAT_MD5, parseOutFormatLine, unescapeRsyncName } from '../src/out-format.js';
import { tempDir, writeFile } from './helpers/loop.js';

let cleanup: (() => void)[] = [];
afterEach(() => { for (const c of cleanup.splice(0)) c(); });

describe('rsync --out-format parsing', () => {
  it('undoes \\#ooo escapes only', () => {
    expect(unescapeRsyncName('a\\#012b')).toBe('a\nb');
    expect(unescapeRsyncName('caf\\#303\\#251')).toBe('café');
    expect(unescapeRsyncName('back\\slash #1')).toBe('back\\slash #1');
  });

  it('names with newlines, tabs, spaces, UTF-8 and backslashes from the real rsync map back; %C is the md5', () => {
    const t = tempDir();
    cleanup.push(() => t.rm());
    const names = ['plain', 'with space', 'new\nline', 'tab\there', 'café', 'back\\#123slash', ' lead', `${'x'.repeat(32)} y`];
    names.forEach((n, i) => writeFile(join(t.path, 'src', 'd', n), `content ${i}`));
    mkdirSync(join(t.path, 'dst'));
    const out = execFileSync('rsync', ['-rt', '--checksum-choice=md5', `--out-format=${OUT_FORMAT_MD5}`, `${join(t.path, 'src')}/`, join(t.path, 'dst')],
      { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
    const parsed = out.split('\n').filter(Boolean).map((l) => parseOutFormatLine(l, true));
    const files = new Map(parsed.filter((p) => p && !p.name.endsWith('/')).map((p) => [p!.name, p!.md5]));
    expect(files.size).toBe(names.length);
    names.forEach((n, i) => expect(files.get(`d/${n}`)).toBe(md5Bytes(`content ${i}`)));
    expect(parseOutFormatLine('rsync: some warning', true)).toBeUndefined();
    expect(parseOutFormatLine(`12 ${' '.repeat(32)} a/b`, true)).toEqual({ name: 'a/b' });
  });
});
