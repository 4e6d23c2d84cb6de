/** The md5 worker protocol on a real local `sh` (used in local mode and over ssh2). */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalRunner, md5Bytes, md5File } from '../src/index.js';
import { MD5_WORKER_SCRIPT, Md5Worker } from '../src/md5-worker.js';
import { tempDir, writeFile } from './helpers/loop.js';

let cleanup: (() => void)[] = [];
afterEach(() => { for (const c of cleanup.splice(0)) c(); });

describe('Md5Worker', () => {
  it('odd names, missing files, many jobs on one worker, restart after a timeout', async () => {
    const t = tempDir();
    const runner = new LocalRunner();
    let starts = 0;
    const w = new Md5Worker(() => { starts += 1; return runner.startWorker(MD5_WORKER_SCRIPT); });
    cleanup.push(() => { w.close(); t.rm(); });
    const names = ['plain', 'with space', "q'uo\"te", 'new\nline', 'END 0', 'back\\slash', '-dash'];
    const paths = names.map((n) => writeFile(join(t.path, n), n));
    const r = await w.md5([...paths, join(t.path, 'missing')]);
    expect(r.md5s.size).toBe(names.length);
    names.forEach((n, i) => expect(r.md5s.get(paths[i]!)).toBe(md5Bytes(n)));
    for (let k = 0; k < 5; k++) expect((await w.md5([paths[0]!])).md5s.get(paths[0]!)).toBe(md5Bytes('plain'));
    expect(starts).toBe(1);
    await expect(w.md5(paths, 0.001)).rejects.toMatchObject({ code: 'SUPRSYNC_ERR_TIMEOUT' });
    expect((await w.md5([paths[1]!])).md5s.get(paths[1]!)).toBe(md5Bytes('with space'));
    expect(starts).toBe(2);
  });

  it('md5File matches md5sum semantics and reports whether the file was stable', async () => {
    const t = tempDir();
    cleanup.push(() => t.rm());
    const big = Buffer.alloc(9 * 1024 * 1024 + 17, 3);
    const r = await md5File(writeFile(join(t.path, 'big'), big));
    expect(r).toMatchObject({ md5: md5Bytes(big), size: big.length, stable: true });
    await expect(md5File(t.path)).rejects.toMatchObject({ code: 'EISDIR' });
  });
});
