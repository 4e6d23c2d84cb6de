/**
 * kill -9 of the agent process in the middle of a batch, then a restart (spec C1 robustness):
 * nothing is lost and nothing is duplicated (rows, timecode dirs, remote files).
 */
import { mkdirSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnAgent, startRouter, tmpDir, waitFor } from '@smurf-ocs/ocs-agent-core/testing';
import { FilesManager, md5Bytes } from '../../src/index.js';
import { writeFile } from '../helpers/loop.js';

const BIN = fileURLToPath(new URL('../../bin/suprsync-agent.ts', import.meta.url));

describe('kill -9 mid-batch and restart', () => {
  it('loses and duplicates nothing', async () => {
    await using router = await startRouter();
    await using dir = tmpDir('suprsync-kill-');
    const dbPath = join(dir.path, 's.db');
    const dest = join(dir.path, 'dest');
    mkdirSync(dest);
    const tc = Math.floor(Date.now() / 1e8); // current timecode: no finalization in this test
    const fm = FilesManager.open(dbPath);
    const N = 120;
    await fm.write(() => {
      for (let i = 0; i < N; i++) {
        const body = Buffer.alloc(20_000, i % 251);
        const p = writeFile(join(dir.path, 'data', `f${i}`), body);
        fm.insertFileTx({ localPath: p, remotePath: `${tc}/sub/f${i}`, archiveName: 'arch' }, md5Bytes(body), Date.now() / 1000, true);
      }
    });
    const args = (extra: string[]): string[] => ['--site', 'none', '--site-hub', router.url, '--instance-id', 'sync-k',
      '--archive-name', 'arch', '--remote-basedir', dest, '--db-path', dbPath, '--suprsync-file-root', join(dir.path, 'root'),
      '--sleep-time', '0.2', ...extra];
    const first = await spawnAgent(BIN, args(['--bwlimit', '400']));
    await waitFor(() => existsSync(join(dest, String(tc), 'sub')) && readdirSync(join(dest, String(tc), 'sub')).length >= 3, { timeout: 20_000 });
    first.kill('SIGKILL');
    await first.exited;
    const mid = fm.db.prepare('SELECT COUNT(*) FROM supersync_v0 WHERE local_md5sum = remote_md5sum').pluck().get() as number;
    expect(mid).toBeLessThan(N); // really killed mid-batch
    await using second = await spawnAgent(BIN, args([]));
    await waitFor(() => fm.db.prepare('SELECT COUNT(*) FROM supersync_v0 WHERE local_md5sum IS NOT remote_md5sum').pluck().get() === 0, { timeout: 30_000 });
    const rows = fm.db.prepare('SELECT * FROM supersync_v0 ORDER BY id').all() as { local_md5sum: string; remote_md5sum: string; failed_copy_attempts: number; remote_path: string }[];
    expect(rows).toHaveLength(N);
    expect(new Set(rows.map((r) => r.remote_path)).size).toBe(N);
    expect(rows.every((r) => r.failed_copy_attempts === 0 && r.remote_md5sum === r.local_md5sum)).toBe(true);
    expect(fm.db.prepare('SELECT COUNT(*) FROM timecode_dirs_v0').pluck().get()).toBe(1);
    // the restarted agent removes the killed rsync's temp file (in the background)
    const expected = Array.from({ length: N }, (_, i) => `f${i}`).sort().join();
    await waitFor(() => readdirSync(join(dest, String(tc), 'sub')).sort().join() === expected, { timeout: 10_000 });
    expect(readFileSync(join(dest, String(tc), 'sub', 'f7'))).toEqual(Buffer.alloc(20_000, 7));
    fm.close();
    void second;
  });
});
