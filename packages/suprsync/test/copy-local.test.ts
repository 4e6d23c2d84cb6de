/**
 * The copy step in local mode with the real rsync (spec §A5.2, §A9, C1.4–6, 21–24) and the
 * per-row isolation that replaces Python's poisoned batch.
 */
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { md5Bytes } from '../src/index.js';
import { TestLoop, loopFixture, tempDir, writeFile } from './helpers/loop.js';

const { setup, onCleanup } = loopFixture();

const add = (loop: TestLoop, local: string, remote: string, archiveName = 'arch') => loop.fm.addFile({ localPath: local, remotePath: remote, archiveName });

describe('local mode (C1.24)', () => {
  it('copies with files 0664, dirs 0775, basedir 0775, md5 checked on the destination', async () => {
    const { dir, dest, loop } = setup();
    const a = writeFile(join(dir, 'src', 'a'), 'A');
    await add(loop, a, '17950/sub/a');
    await loop.iterate();
    expect(readFileSync(join(dest, '17950/sub/a'), 'utf8')).toBe('A');
    expect(statSync(join(dest, '17950/sub/a')).mode & 0o777).toBe(0o664);
    expect(statSync(join(dest, '17950/sub')).mode & 0o777).toBe(0o775);
    expect(statSync(dest).mode & 0o777).toBe(0o775);
    expect((await loop.fm.getFile(1))!.remote_md5sum).toBe(md5Bytes('A'));
  });

  it('a missing parent of the basedir is rsync exit 11: errors_nonzero, rows unchanged', async () => {
    const t = tempDir();
    const loop = new TestLoop({ dbPath: join(t.path, 's.db'), remoteBasedir: join(t.path, 'no', 'such', 'dest') });
    onCleanup(() => t.rm());
    onCleanup(() => loop.close());
    const r = await add(loop, writeFile(join(t.path, 'a'), 'A'), '17950/a');
    await loop.iterate();
    expect(loop.state.data.counters.errors_nonzero).toBe(1);
    expect(loop.state.data.last_copy.error).toBe('nonzero exit');
    expect(loop.state.data.last_copy.files).toBeUndefined();
    expect(await loop.fm.getFile(r.id)).toEqual(r);
  });
});

describe('batching (C1.4)', () => {
  it('--files-per-batch 2 copies ids 1,2 then 3,4 then 5', async () => {
    const { dir, loop } = setup({ filesPerBatch: 2 });
    const paths = [1, 2, 3, 4, 5].map((i) => writeFile(join(dir, 'src', `f${i}`), `c${i}`));
    for (const [i, p] of paths.entries()) await add(loop, p, `17950/f${i + 1}`);
    const batches: string[][] = [];
    for (let i = 0; i < 3; i++) {
      await loop.iterate();
      batches.push((loop.state.data.last_copy.files ?? []).map(([p]) => p));
    }
    expect(batches).toEqual([[paths[0], paths[1]], [paths[2], paths[3]], [paths[4]]]);
  });

  it('--files-per-batch 0 copies everything in one batch', async () => {
    const { dir, loop } = setup({ filesPerBatch: 0 });
    for (let i = 0; i < 3; i++) await add(loop, writeFile(join(dir, 'src', `f${i}`), `c${i}`), `17950/f${i}`);
    await loop.iterate();
    expect(loop.state.data.last_copy.files?.map(([, ok]) => ok)).toEqual([true, true, true]);
    // what is left is the finalization YAML of the (old, complete) timecode 17950
    expect((await loop.fm.getCopyableFiles('arch')).map((r) => r.remote_path)).toEqual([expect.stringMatching(/^\d{5}\/suprsync\/inst-1\/\d+_arch_17950_finalized\.yaml$/)]);
  });
});

describe('one bad row fails only itself (C1.5, C1.22, C1.23 as deviated)', () => {
  it('vanished file, dangling link, relative path, directory, duplicate remote path', async () => {
    const { dir, dest, loop } = setup();
    const good = writeFile(join(dir, 'src', 'good'), 'good');
    const gone = writeFile(join(dir, 'src', 'gone'), 'gone');
    const link = join(dir, 'src', 'link');
    symlinkSync(join(dir, 'src', 'nowhere'), link);
    const dup = writeFile(join(dir, 'src', 'dup'), 'dup');
    const rows = [await add(loop, good, '17950/a/good'), await add(loop, gone, '17950/g/gone')];
    rows.push(await loop.fm.addFile({ localPath: link, remotePath: '17950/l/link', archiveName: 'arch', localMd5sum: 'x' }));
    mkdirSync(join(dir, 'src', 'adir'));
    rows.push(await loop.fm.addFile({ localPath: join(dir, 'src', 'adir'), remotePath: '17950/d/adir', archiveName: 'arch', localMd5sum: 'x' }));
    loop.fm.db.prepare('INSERT INTO supersync_v0 (local_path, local_md5sum, archive_name, remote_path, timestamp, remote_md5sum, copied, removed, failed_copy_attempts, deletable, "ignore") VALUES (?, ?, ?, ?, ?, NULL, NULL, NULL, 0, 1, 0)')
      .run('src/relative', 'x', 'arch', '17950/r/rel', 1);
    rows.push(await add(loop, dup, '17950/a/good'));
    writeFileSync(gone, ''); // keep the row, then remove the file
    (await import('node:fs')).unlinkSync(gone);
    await loop.iterate();
    const byPath = new Map((await loop.fm.getKnownFiles('arch')).map((r) => [r.local_path, r]));
    expect(byPath.get(good)).toMatchObject({ remote_md5sum: md5Bytes('good'), failed_copy_attempts: 0 });
    for (const p of [gone, link, join(dir, 'src', 'adir'), 'src/relative', dup]) {
      expect(byPath.get(p), p).toMatchObject({ failed_copy_attempts: 1, remote_md5sum: null, copied: null });
    }
    expect(readFileSync(join(dest, '17950/a/good'), 'utf8')).toBe('good');
    expect(existsSync(join(dest, '17950/g'))).toBe(false); // no empty remote dir for a missing file
    expect(loop.state.data.counters).toMatchObject({ errors_nonzero: 0, copies: 6 });
    expect(loop.state.data.last_copy.rejected?.map((r) => r.local_path).sort()).toEqual([gone, link, join(dir, 'src', 'adir'), 'src/relative', dup].sort());
    expect(loop.state.data.last_copy.rejected?.find((r) => r.local_path === gone)?.error).toMatch(/Cannot find file/);
  });

  it('a missing file runs out of attempts after max-copy-attempts iterations', async () => {
    const { dir, loop } = setup({ maxCopyAttempts: 3 });
    const r = await loop.fm.addFile({ localPath: join(dir, 'missing'), remotePath: '17950/m', archiveName: 'arch', localMd5sum: 'x' });
    for (let i = 0; i < 4; i++) await loop.iterate();
    expect((await loop.fm.getFile(r.id))!.failed_copy_attempts).toBe(3);
    expect((await loop.fm.getArchiveStats('arch')).finalized_until).toBe(r.timestamp - 1);
  });
});

describe('md5 mismatch (C1.6) and ignore (C1.21)', () => {
  it('a file rewritten after registration: remote md5 recorded, +1 attempt each time, never copied', async () => {
    const { dir, loop } = setup({ maxCopyAttempts: 2 });
    const p = writeFile(join(dir, 'src', 'x'), 'old');
    const r = await add(loop, p, '17950/x');
    writeFileSync(p, 'new content');
    await loop.iterate();
    expect(await loop.fm.getFile(r.id)).toMatchObject({ remote_md5sum: md5Bytes('new content'), failed_copy_attempts: 1 });
    expect(loop.state.data.last_copy.files).toEqual([[p, false]]);
    await loop.iterate();
    await loop.iterate();
    expect((await loop.fm.getFile(r.id))!.failed_copy_attempts).toBe(2);
    expect(await loop.fm.getCopyableFiles('arch', 2)).toEqual([]);
  });

  it('an ignored row is never copied', async () => {
    const { dir, dest, loop } = setup();
    const r = await add(loop, writeFile(join(dir, 'src', 'i'), 'i'), '17950/i');
    loop.fm.db.prepare('UPDATE supersync_v0 SET "ignore" = 1 WHERE id = ?').run(r.id);
    await loop.iterate();
    expect(existsSync(join(dest, '17950/i'))).toBe(false);
    expect(loop.state.data.archive_stats).toMatchObject({ uncopied_files: 0, num_files: 1 });
  });
});

describe('--allowed-root', () => {
  it('a file outside the roots is refused with a clear error and never copied', async () => {
    const t = tempDir();
    onCleanup(() => t.rm());
    const { dir, dest, loop } = setup({ allowedRoots: [join(t.path)] });
    const inside = writeFile(join(t.path, 'in'), 'in');
    const outside = writeFile(join(dir, 'out'), 'out');
    await add(loop, inside, '17950/in');
    await add(loop, outside, '17950/out');
    await loop.iterate();
    expect(existsSync(join(dest, '17950/in'))).toBe(true);
    expect(existsSync(join(dest, '17950/out'))).toBe(false);
    expect(loop.state.data.last_copy.rejected).toEqual([{ local_path: outside, error: expect.stringMatching(/outside --allowed-root/) }]);
  });
});

describe('db locked (C1.14)', () => {
  it('a write lock held longer than the busy budget: errors_sqlite, degraded, 5 s pause; then a normal iteration', async () => {
    const { dir, loop } = setup({ busyTimeoutMs: 300 });
    const r = await add(loop, writeFile(join(dir, 'src', 'a'), 'a'), '17950/a');
    const other = new Database(join(dir, 's.db'));
    onCleanup(() => { other.close(); });
    other.exec('BEGIN EXCLUSIVE');
    const res = await loop.iterate();
    expect(res.sleepSeconds).toBe(5);
    expect(loop.degraded).toBe(true);
    expect(loop.state.data.counters.errors_sqlite).toBe(1);
    other.exec('COMMIT');
    await loop.iterate();
    expect(loop.degraded).toBe(false);
    expect((await loop.fm.getFile(r.id))!.remote_md5sum).toBe(md5Bytes('a'));
  });
});

describe('two agents with the same archive (spec §A2.4 [FLAW] fixed)', () => {
  it('the second instance copies nothing while the first owns the archive, then takes over when it is released', async () => {
    const { dir, dest, loop } = setup();
    const other = new TestLoop({ dbPath: join(dir, 's.db'), remoteBasedir: dest, instanceId: 'inst-2' });
    onCleanup(() => other.close());
    await loop.iterate(); // inst-1 claims the archive
    const r = await add(loop, writeFile(join(dir, 'src', 'a'), 'a'), '17950/a');
    await other.iterate();
    expect(other.degraded).toBe(true);
    expect(other.state.data.last_copy.error_detail).toBe('archive arch is being copied by instance inst-1');
    expect((await other.fm.getFile(r.id))!.remote_md5sum).toBeNull();
    await loop.fm.releaseArchive('arch', 'inst-1');
    await other.iterate();
    expect(other.degraded).toBe(false);
    expect((await other.fm.getFile(r.id))!.remote_md5sum).toBe(md5Bytes('a'));
    await loop.iterate();
    expect(loop.state.data.last_copy.error_detail).toMatch(/inst-2/);
  });
});

describe('corrupt remote copy (spec §A5.2 step 4 [FLAW] fixed)', () => {
  it('a remote file with the right size and mtime but wrong content is replaced on the retry', async () => {
    const { dir, dest, loop } = setup();
    const p = writeFile(join(dir, 'src', 'c'), 'correct!');
    const r = await add(loop, p, '17950/c');
    await loop.iterate();
    const remote = join(dest, '17950/c');
    const st = statSync(remote);
    writeFileSync(remote, 'corrupt!'); // same size
    (await import('node:fs')).utimesSync(remote, st.atime, st.mtime); // same mtime
    loop.fm.db.prepare('UPDATE supersync_v0 SET remote_md5sum = ?, failed_copy_attempts = 1 WHERE id = ?').run(md5Bytes('corrupt!'), r.id);
    await loop.iterate();
    expect(readFileSync(remote, 'utf8')).toBe('correct!');
    expect(await loop.fm.getFile(r.id)).toMatchObject({ remote_md5sum: md5Bytes('correct!'), failed_copy_attempts: 1 });
  });
});
