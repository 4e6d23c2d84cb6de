/**
 * Timecode-dir completion and finalization (spec §A4.8, §A7, C1.15–18) with the real loop in
 * local mode.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { renderFinalizationYaml, updateAllTimecodeDirs } from '../src/index.js';
import { TestLoop, tempDir, writeFile } from './helpers/loop.js';

let cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const c of cleanup.splice(0).reverse()) await c(); });

const nowTc = (): number => Math.floor(Date.now() / 1e8); // ctime / 1e5

function setup(archiveName: string, instanceId: string, shared?: { dir: string }): { dir: string; dest: string; root: string; loop: TestLoop } {
  const dir = shared?.dir ?? (() => { const t = tempDir(); cleanup.push(() => t.rm()); return t.path; })();
  const dest = join(dir, 'dest');
  mkdirSync(dest, { recursive: true });
  const root = join(dir, 'root');
  const loop = new TestLoop({ dbPath: join(dir, 's.db'), remoteBasedir: dest, archiveName, instanceId, suprsyncFileRoot: root });
  cleanup.push(() => loop.close());
  return { dir, dest, root, loop };
}

describe('finalization (C1.15)', () => {
  it('an old synced timecode dir gets a YAML with sorted keys, registered for sync, then copied', async () => {
    const { dir, dest, root, loop } = setup('smurf', 'smurf-sync-srv20');
    const tc = nowTc() - 3;
    for (const s of ['sub1', 'sub0']) {
      await loop.fm.addFile({ localPath: writeFile(join(dir, 'data', s, 'f'), s), remotePath: `${tc}/${s}/f.g3`, archiveName: 'smurf' });
    }
    await loop.iterate();
    const tcdir = loop.fm.db.prepare('SELECT * FROM timecode_dirs_v0 WHERE timecode = ?').get(tc) as Record<string, number>;
    expect(tcdir).toMatchObject({ completed: 1, synced: 1, finalized: 1 });
    const yamlRow = (await loop.fm.getFile(tcdir['finalize_file_id']!))!;
    const local = readdirSync(join(root, String(nowTc()), 'smurf-sync-srv20'));
    expect(local).toHaveLength(1);
    expect(local[0]).toMatch(new RegExp(`^\\d{10}_smurf_${tc}_finalized\\.yaml$`));
    expect(yamlRow.local_path).toBe(join(root, String(nowTc()), 'smurf-sync-srv20', local[0]!));
    expect(yamlRow.remote_path).toBe(`${nowTc()}/suprsync/smurf-sync-srv20/${local[0]}`);
    const text = readFileSync(yamlRow.local_path, 'utf8');
    expect(text.split('\n').filter((l) => /^\w/.test(l)).map((l) => l.split(':')[0]))
      .toEqual(['archive_name', 'finalized_at', 'finalized_until', 'instance_id', 'num_files', 'subdirs', 'timecode']);
    expect(YAML.parse(text)).toMatchObject({ archive_name: 'smurf', instance_id: 'smurf-sync-srv20', num_files: 2, subdirs: ['sub0', 'sub1'], timecode: tc });
    expect(text).toMatch(/^finalized_at: \d+\.\d+$/m);
    expect(loop.fm.db.prepare('SELECT COUNT(*) FROM timecode_dirs_v0 WHERE timecode = ?').pluck().get(nowTc())).toBe(1);
    await loop.iterate();
    expect(readFileSync(join(dest, yamlRow.remote_path), 'utf8')).toBe(text);
  });

  it('no premature completion: the current timecode stays open (C1.16)', async () => {
    const { dir, root, loop } = setup('smurf', 'i');
    await loop.fm.addFile({ localPath: writeFile(join(dir, 'data', 'now'), 'x'), remotePath: `${nowTc()}/a/f`, archiveName: 'smurf' });
    await loop.iterate();
    expect(loop.fm.db.prepare('SELECT completed FROM timecode_dirs_v0').pluck().all()).toEqual([0]);
    expect(existsSync(root)).toBe(false);
  });

  it('the previous timecode alone stays open; it completes once a newer timecode exists (spec §A4.8 step 3)', async () => {
    const { dir, loop } = setup('smurf', 'i');
    await loop.fm.addFile({ localPath: writeFile(join(dir, 'data', 'prev'), 'x'), remotePath: `${nowTc() - 1}/a/f`, archiveName: 'smurf' });
    await loop.iterate();
    expect(loop.fm.db.prepare('SELECT completed FROM timecode_dirs_v0').pluck().all()).toEqual([0]);
    await loop.fm.addFile({ localPath: writeFile(join(dir, 'data', 'now'), 'x'), remotePath: `${nowTc()}/a/f`, archiveName: 'smurf' });
    await loop.iterate();
    expect(loop.fm.db.prepare('SELECT timecode, completed FROM timecode_dirs_v0 ORDER BY timecode').all())
      .toEqual([{ timecode: nowTc() - 1, completed: 1 }, { timecode: nowTc(), completed: 0 }]);
  });

  it('floats keep a decimal point; strings that look like other types are quoted', () => {
    const y = renderFinalizationYaml({ archive_name: 'yes', finalized_at: 1795304291, finalized_until: 1795304291.2386117, instance_id: '12345', num_files: 4, subdirs: [], timecode: 17950 });
    expect(y).toBe("archive_name: 'yes'\nfinalized_at: 1795304291.0\nfinalized_until: 1795304291.2386117\ninstance_id: '12345'\nnum_files: 4\nsubdirs: []\ntimecode: 17950\n");
  });
});

describe('two archives, one db (C1.17, C1.18)', () => {
  it('a timecode dir is synced only when every archive copied its rows; each agent writes its own YAML', async () => {
    const a = setup('smurf', 'sync-smurf');
    const b = setup('timestreams', 'sync-ts', { dir: a.dir });
    const T = nowTc() - 3;
    await a.loop.fm.addFile({ localPath: writeFile(join(a.dir, 'data', 's1'), 's1'), remotePath: `${T}/smurfdir/s1`, archiveName: 'smurf' });
    await a.loop.fm.addFile({ localPath: writeFile(join(a.dir, 'data', 't1'), 't1'), remotePath: `${T}/tsdir/t1`, archiveName: 'timestreams' });
    const before = await b.loop.fm.getKnownFiles('timestreams');
    await a.loop.iterate();
    expect(await b.loop.fm.getKnownFiles('timestreams')).toEqual(before); // only its own archive changes
    const tcA = () => a.loop.fm.db.prepare('SELECT completed, synced, finalized FROM timecode_dirs_v0 WHERE timecode = ? AND archive_name = ?').get(T, 'smurf');
    expect(tcA()).toEqual({ completed: 1, synced: 0, finalized: 0 });
    await b.loop.iterate();
    await a.loop.iterate();
    expect(tcA()).toEqual({ completed: 1, synced: 1, finalized: 1 });
    const ya = YAML.parse(readFileSync(readdirSync(join(a.root, String(nowTc()), 'sync-smurf')).map((f) => join(a.root, String(nowTc()), 'sync-smurf', f))[0]!, 'utf8'));
    expect(ya).toMatchObject({ num_files: 2, subdirs: ['smurfdir', 'tsdir'] });
    expect(readdirSync(join(a.root, String(nowTc())))).toEqual(['sync-smurf', 'sync-ts']);
  });

  it('a newer timecode of another archive completes a timecode dir (C1.17 quirk kept)', async () => {
    const { dir, loop } = setup('A', 'i');
    await loop.fm.addFile({ localPath: writeFile(join(dir, 'a'), 'a'), remotePath: `${nowTc()}/x/a`, archiveName: 'A' });
    await loop.fm.addFile({ localPath: writeFile(join(dir, 'b'), 'b'), remotePath: `${nowTc() + 1}/x/b`, archiveName: 'B' });
    await updateAllTimecodeDirs(loop.fm, { archiveName: 'A', fileRoot: join(dir, 'root'), instanceId: 'i' });
    expect(loop.fm.db.prepare('SELECT completed FROM timecode_dirs_v0 WHERE archive_name = ?').pluck().get('A')).toBe(1);
  });
});
