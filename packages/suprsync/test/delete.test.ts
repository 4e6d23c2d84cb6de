/**
 * The delete step (spec §A5.3, C1.11–13): only verified files, only the same file, every unlink
 * error logged and counted (an immutable file stands in for EPERM/EACCES as root).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deleteFiles, md5Bytes } from '../src/index.js';
import { TestLoop, silentLog, tempDir, writeFile } from './helpers/loop.js';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const c of cleanup.splice(0).reverse()) await c(); });

function setup(deleteLocalAfter: number | null): { dir: string; loop: TestLoop } {
  const t = tempDir();
  mkdirSync(join(t.path, 'dest'));
  const loop = new TestLoop({ dbPath: join(t.path, 's.db'), remoteBasedir: join(t.path, 'dest'), deleteLocalAfter });
  cleanup.push(() => t.rm(), () => loop.close());
  return { dir: t.path, loop };
}
const now = (): number => Date.now() / 1000;

describe('delete window (C1.11, C1.13)', () => {
  it('deletes copied, deletable rows older than the window; keeps young and non-deletable ones', async () => {
    const { dir, loop } = setup(100);
    const x = await loop.fm.addFile({ localPath: writeFile(join(dir, 'x'), 'x'), remotePath: 'misc/x', archiveName: 'arch', timestamp: now() - 200 });
    const y = await loop.fm.addFile({ localPath: writeFile(join(dir, 'y'), 'y'), remotePath: 'misc/y', archiveName: 'arch', timestamp: now() - 50 });
    const z = await loop.fm.addFile({ localPath: writeFile(join(dir, 'z'), 'z'), remotePath: 'misc/z', archiveName: 'arch', timestamp: now() - 200, deletable: false });
    await loop.iterate();
    expect(existsSync(x.local_path)).toBe(false);
    expect((await loop.fm.getFile(x.id))!.removed).toBeCloseTo(now(), -1);
    expect(existsSync(y.local_path) && existsSync(z.local_path)).toBe(true);
    expect((await loop.fm.getFile(y.id))!.removed).toBeNull();
    expect(loop.activities).toContain('deleting');
    const r = await deleteFiles(loop.fm, { archiveName: 'arch', deleteAfter: 100, now: now() + 60, log: silentLog });
    expect(r.deleted).toEqual([y.local_path]);
  });

  it('a copied row whose file is already gone gets removed = 0', async () => {
    const { dir, loop } = setup(0);
    const g = await loop.fm.addFile({ localPath: writeFile(join(dir, 'g'), 'g'), remotePath: 'misc/g', archiveName: 'arch', timestamp: now() - 10 });
    loop.fm.db.prepare('UPDATE supersync_v0 SET remote_md5sum = local_md5sum WHERE id = ?').run(g.id);
    execFileSync('rm', [g.local_path]);
    await deleteFiles(loop.fm, { archiveName: 'arch', deleteAfter: 0, log: silentLog });
    expect((await loop.fm.getFile(g.id))!.removed).toBe(0);
  });

  it('--delete-local-after 0 deletes in the same iteration as the verified copy; absent = never', async () => {
    const a = setup(0);
    const r = await a.loop.fm.addFile({ localPath: writeFile(join(a.dir, 'a'), 'a'), remotePath: 'misc/a', archiveName: 'arch', timestamp: now() - 1 });
    await a.loop.iterate();
    expect(existsSync(r.local_path)).toBe(false);
    expect(existsSync(join(a.dir, 'dest', 'misc/a'))).toBe(true);
    const b = setup(null);
    const k = await b.loop.fm.addFile({ localPath: writeFile(join(b.dir, 'k'), 'k'), remotePath: 'misc/k', archiveName: 'arch', timestamp: now() - 1000 });
    await b.loop.iterate();
    expect(existsSync(k.local_path)).toBe(true);
    expect(b.loop.activities).not.toContain('deleting');
  });
});

describe('only the same file is deleted', () => {
  it('a file changed after its md5 was verified is kept', async () => {
    const { dir, loop } = setup(0);
    const p = writeFile(join(dir, 'c'), 'c');
    const r = await loop.fm.addFile({ localPath: p, remotePath: 'misc/c', archiveName: 'arch', timestamp: now() - 10 });
    loop.fm.db.prepare('UPDATE supersync_v0 SET remote_md5sum = local_md5sum WHERE id = ?').run(r.id);
    writeFileSync(p, 'changed!');
    const rep = await deleteFiles(loop.fm, { archiveName: 'arch', deleteAfter: 0, log: silentLog });
    expect(rep.skipped).toEqual([{ local_path: p, reason: 'size or mtime changed' }]);
    expect(existsSync(p)).toBe(true);
  });

  it('a row verified elsewhere (no recorded identity) is deleted only if its md5 still matches', async () => {
    const { dir, loop } = setup(0);
    const ins = loop.fm.db.prepare('INSERT INTO supersync_v0 (local_path, local_md5sum, archive_name, remote_path, timestamp, remote_md5sum, copied, removed, failed_copy_attempts, deletable, "ignore") VALUES (?, ?, ?, ?, ?, ?, 1, NULL, 0, 1, 0)');
    const same = writeFile(join(dir, 'same'), 'same');
    const diff = writeFile(join(dir, 'diff'), 'other content');
    ins.run(same, md5Bytes('same'), 'arch', 'm/s', 1, md5Bytes('same'));
    ins.run(diff, md5Bytes('diff'), 'arch', 'm/d', 1, md5Bytes('diff'));
    const rep = await deleteFiles(loop.fm, { archiveName: 'arch', deleteAfter: 0, log: silentLog });
    expect(rep.deleted).toEqual([same]);
    expect(rep.skipped).toEqual([{ local_path: diff, reason: 'md5 changed' }]);
  });

  it('touching the mtime alone is enough to keep the file', async () => {
    const { dir, loop } = setup(0);
    const p = writeFile(join(dir, 't'), 't');
    const r = await loop.fm.addFile({ localPath: p, remotePath: 'misc/t', archiveName: 'arch', timestamp: now() - 10 });
    loop.fm.db.prepare('UPDATE supersync_v0 SET remote_md5sum = local_md5sum WHERE id = ?').run(r.id);
    utimesSync(p, new Date(), new Date(Date.now() + 5000));
    expect((await deleteFiles(loop.fm, { archiveName: 'arch', deleteAfter: 0, log: silentLog })).deleted).toEqual([]);
  });
});

describe('unlink errors are counted, never fatal (C1.12)', () => {
  it('an immutable file (EPERM) is logged, counted in errors_delete, retried, and the loop keeps running', async () => {
    const { dir, loop } = setup(0);
    const p = writeFile(join(dir, 'locked'), 'locked');
    await loop.fm.addFile({ localPath: p, remotePath: 'misc/locked', archiveName: 'arch', timestamp: now() - 10 });
    execFileSync('chattr', ['+i', p]);
    cleanup.push(() => { execFileSync('chattr', ['-i', p]); });
    await loop.iterate();
    await loop.iterate();
    expect(existsSync(p)).toBe(true);
    expect(loop.state.data.counters.errors_delete).toBe(2);
    expect((await loop.fm.getKnownFiles('arch')).find((r) => r.local_path === p)!.removed).toBeNull();
  });
});
