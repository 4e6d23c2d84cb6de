/**
 * FilesManager on real SQLite files (spec §A2, §A4, C1.1, C1.20, C1.21) and interop with a db
 * written with the exact DDL and INSERTs of the Python SupRsyncFilesManager (Appendix 2).
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FilesManager, checkTimecode, md5Bytes, SuprsyncPathError } from '../src/index.js';
import { tempDir, writeFile } from './helpers/loop.js';

// The DDL exactly as SQLAlchemy 2.0 emits it for socs' models (spec §A2.2), written by hand.
const PY_SUPERSYNC = '\nCREATE TABLE supersync_v0 (\n\tid INTEGER NOT NULL, \n\tlocal_path VARCHAR NOT NULL, \n\tlocal_md5sum VARCHAR NOT NULL, \n\tarchive_name VARCHAR NOT NULL, \n\tremote_path VARCHAR NOT NULL, \n\ttimestamp FLOAT NOT NULL, \n\tremote_md5sum VARCHAR, \n\tcopied FLOAT, \n\tremoved FLOAT, \n\tfailed_copy_attempts INTEGER, \n\tdeletable BOOLEAN, \n\t"ignore" BOOLEAN, \n\tPRIMARY KEY (id)\n)\n\n';
const PY_TCDIRS = '\nCREATE TABLE timecode_dirs_v0 (\n\tid INTEGER NOT NULL, \n\ttimecode INTEGER NOT NULL, \n\tarchive_name VARCHAR NOT NULL, \n\tcompleted BOOLEAN, \n\tsynced BOOLEAN, \n\tfinalized BOOLEAN, \n\tfinalize_file_id INTEGER, \n\tPRIMARY KEY (id), \n\tFOREIGN KEY(finalize_file_id) REFERENCES supersync_v0 (id)\n)\n\n';
const PY_INSERT = 'INSERT INTO supersync_v0 (local_path, local_md5sum, archive_name, remote_path, timestamp, remote_md5sum, copied, removed, failed_copy_attempts, deletable, "ignore") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

let cleanup: (() => void)[] = [];
afterEach(() => { for (const c of cleanup.splice(0)) c(); });
function setup(): { dir: string; fm: FilesManager } {
  const t = tempDir();
  const fm = FilesManager.open(join(t.path, 'x', 'dbs', 's.db'));
  cleanup.push(() => { fm.close(); t.rm(); });
  return { dir: t.path, fm };
}

describe('open and schema (spec §A2.1, C1.1)', () => {
  it('creates the parent dir, WAL, both tables with the byte-exact DDL, empty', () => {
    const { dir, fm } = setup();
    expect(existsSync(join(dir, 'x', 'dbs', 's.db'))).toBe(true);
    const db = new Database(join(dir, 'x', 'dbs', 's.db'), { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      const sql = Object.fromEntries((db.prepare("SELECT name, sql FROM sqlite_master WHERE type='table'").all() as { name: string; sql: string }[]).map((r) => [r.name, r.sql]));
      // sqlite keeps the statement from CREATE to the closing parenthesis
      expect(sql['supersync_v0']).toBe(PY_SUPERSYNC.trim());
      expect(sql['timecode_dirs_v0']).toBe(PY_TCDIRS.trim());
      expect(db.prepare('SELECT COUNT(*) FROM supersync_v0').pluck().get()).toBe(0);
    } finally { db.close(); }
    void fm;
  });

  it('a db created with the Python DDL and rows inserted as Python does opens and works', async () => {
    const t = tempDir();
    cleanup.push(() => t.rm());
    const path = join(t.path, 'py.db');
    const py = new Database(path);
    py.pragma('journal_mode=WAL');
    py.exec(PY_SUPERSYNC); py.exec(PY_TCDIRS);
    const f = writeFile(join(t.path, 'd', 'a.g3'), 'abc');
    py.prepare(PY_INSERT).run(f, md5Bytes('abc'), 'smurf', '17950/x/a.g3', 1795000000.5, null, null, null, 0, 1, 0);
    py.prepare('INSERT INTO timecode_dirs_v0 (timecode, archive_name, completed, synced, finalized, finalize_file_id) VALUES (?, ?, ?, ?, ?, ?)').run(17950, 'smurf', 0, 0, 0, null);
    py.close();
    const fm = FilesManager.open(path);
    cleanup.push(() => fm.close());
    const rows = await fm.getCopyableFiles('smurf');
    expect(rows).toEqual([{ id: 1, local_path: f, local_md5sum: md5Bytes('abc'), archive_name: 'smurf', remote_path: '17950/x/a.g3', timestamp: 1795000000.5, remote_md5sum: null, copied: null, removed: null, failed_copy_attempts: 0, deletable: true, ignore: false }]);
    await fm.addFile({ localPath: f, remotePath: '17950/x/b.g3', archiveName: 'smurf', timestamp: 1795000001 });
    // and the other way round: what we wrote reads back with the Python queries (Appendix 2)
    const back = new Database(path, { readonly: true });
    try {
      const sel = back.prepare('SELECT * FROM supersync_v0 WHERE removed IS NULL AND archive_name = ? AND failed_copy_attempts < ? AND "ignore" = 0').all('smurf', 5);
      expect(sel).toHaveLength(2);
      expect(back.prepare('SELECT COUNT(*) FROM timecode_dirs_v0').pluck().get()).toBe(1); // tc 17950 existed: no duplicate
    } finally { back.close(); }
  });
});

describe('addFile (spec §A4.1)', () => {
  it('computes md5, fills every column explicitly, makes the timecode dir once', async () => {
    const { dir, fm } = setup();
    const p = writeFile(join(dir, 'a.dat'), 'hello');
    const r = await fm.addFile({ localPath: p, remotePath: '17950/s/a.dat', archiveName: 'A' });
    expect(r).toMatchObject({ local_md5sum: md5Bytes('hello'), failed_copy_attempts: 0, deletable: true, ignore: false, remote_md5sum: null, copied: null, removed: null });
    await fm.addFile({ localPath: p, remotePath: '17950/s/b.dat', archiveName: 'A', deletable: false });
    await fm.addFile({ localPath: p, remotePath: 'misc/notes.txt', archiveName: 'A' }); // C1.19: no timecode
    const tc = fm.db.prepare('SELECT timecode, archive_name, completed, synced, finalized, finalize_file_id FROM timecode_dirs_v0').all();
    expect(tc).toEqual([{ timecode: 17950, archive_name: 'A', completed: 0, synced: 0, finalized: 0, finalize_file_id: null }]);
  });

  it('rejects relative local paths and absolute or escaping remote paths with a typed error', async () => {
    const { fm } = setup();
    await expect(fm.addFile({ localPath: 'rel/a', remotePath: 'x', archiveName: 'A', localMd5sum: 'x' })).rejects.toBeInstanceOf(SuprsyncPathError);
    await expect(fm.addFile({ localPath: '/a', remotePath: '/abs/x', archiveName: 'A', localMd5sum: 'x' })).rejects.toMatchObject({ code: 'SUPRSYNC_ERR_PATH' });
    await expect(fm.addFile({ localPath: '/a', remotePath: '17950/../../x', archiveName: 'A', localMd5sum: 'x' })).rejects.toBeInstanceOf(SuprsyncPathError);
  });

  it('checkTimecode is strict: five digits only', () => {
    expect(checkTimecode('17950/a/b')).toBe(17950);
    expect(checkTimecode('./17950//a')).toBe(17950);
    expect(checkTimecode('016861/a')).toBeNull();
    expect(checkTimecode('1_6861/a')).toBeNull();
    expect(checkTimecode('-1234/a')).toBeNull();
  });
});

describe('selection and stats (spec §A4.2–A4.5, C1.21)', () => {
  async function fill(fm: FilesManager): Promise<void> {
    const add = (i: number, o: Partial<{ remote: string; md5: string; ts: number; ignore: number; attempts: number; archive: string }> = {}): void => {
      fm.db.prepare(PY_INSERT).run(`/d/f${i}`, 'aaa', o.archive ?? 'A', o.remote ?? `17950/f${i}`, o.ts ?? 100 + i, o.md5 ?? null, null, null, o.attempts ?? 0, 1, o.ignore ?? 0);
    };
    add(1, { md5: 'aaa' }); add(2); add(3, { ignore: 1 }); add(4, { attempts: 5 }); add(5); add(6, { archive: 'B' });
  }

  it('copyable: uncopied, not ignored, under max attempts, by id; limit; 0 = all', async () => {
    const { fm } = setup();
    await fill(fm);
    expect((await fm.getCopyableFiles('A', 5)).map((r) => r.id)).toEqual([2, 5]);
    expect((await fm.getCopyableFiles('A')).map((r) => r.id)).toEqual([2, 4, 5]);
    expect((await fm.getCopyableFiles('A', 5, 1)).map((r) => r.id)).toEqual([2]);
    expect((await fm.getCopyableFiles('A', 5, 0)).map((r) => r.id)).toEqual([2, 5]);
  });

  it('archive stats: ignored rows excluded from uncopied and finalized_until', async () => {
    const { fm } = setup();
    await fill(fm);
    expect(await fm.getArchiveStats('A', 999)).toEqual({ finalized_until: 101, num_files: 5, uncopied_files: 3, last_file_added: '/d/f5', last_file_copied: '/d/f1' });
    expect(await fm.getArchiveStats('none', 999)).toEqual({ finalized_until: 999, num_files: 0, uncopied_files: 0, last_file_added: '', last_file_copied: '' });
  });

  it('createAllTimecodeDirs only looks at rows newer than min_ctime (C1.20)', async () => {
    const { fm } = setup();
    const now = 1795300000;
    fm.db.prepare(PY_INSERT).run('/d/a', 'm', 'A', '17952/a', now - 86400, null, null, null, 0, 1, 0);
    fm.db.prepare(PY_INSERT).run('/d/b', 'm', 'A', '17944/b', now - 10 * 86400, null, null, null, 0, 1, 0);
    await fm.createAllTimecodeDirs('A', now - 7 * 86400);
    expect(fm.db.prepare('SELECT timecode FROM timecode_dirs_v0').pluck().all()).toEqual([17952]);
  });

  it('deletable: copied, deletable, older than the window (strict)', async () => {
    const { fm } = setup();
    const ins = fm.db.prepare(PY_INSERT);
    ins.run('/d/x', 'm', 'A', 'r/x', 800, 'm', 1, null, 0, 1, 0);
    ins.run('/d/y', 'm', 'A', 'r/y', 950, 'm', 1, null, 0, 1, 0);
    ins.run('/d/z', 'm', 'A', 'r/z', 800, 'm', 1, null, 0, 0, 0);
    ins.run('/d/w', 'm', 'A', 'r/w', 800, null, null, null, 0, 1, 0);
    expect((await fm.getDeletableFiles('A', 100, 1000)).map((r) => r.local_path)).toEqual(['/d/x']);
    expect((await fm.getDeletableFiles('A', 100, 900)).map((r) => r.local_path)).toEqual([]);
  });
});
