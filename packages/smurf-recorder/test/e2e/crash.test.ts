/**
 * `kill -9` of the recorder bin mid-file, then a restart: the file stays readable up to its last
 * whole frame, a half-written frame is cut on restart, the file is registered in SupRsync, and the
 * new run never overwrites it (new behaviour, docs/compat/smurf-recorder.md).
 */
import { createHash } from 'node:crypto';
import { appendFile, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { decodeFrames, encodeFrame } from '@smurf-ocs/g3-frame';
import { spawnAgent, startRouter } from '@smurf-ocs/ocs-agent-core/testing';
import { describe, expect, it } from 'vitest';
import { aliveSender, recordData, simFrames } from '../agent-helpers.js';
import { exists, listFiles, tempDir, waitFor } from '../helpers.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/smurf-recorder.ts');

describe('crash safety', () => {
  it('survives kill -9 mid-file and recovers the file on restart', async () => {
    const { dir, cleanup } = await tempDir();
    await using router = await startRouter();
    const s = await aliveSender();
    try {
      const data = path.join(dir, 'data');
      const db = path.join(dir, 'suprsync.db');
      const argv = ['--site', 'none', '--site-hub', router.url, '--instance-id', 'rec', '--data-dir', data,
        '--address', '127.0.0.1', '--port', String(s.sender.port), '--auto-start', 'True', '--suprsync-db', db];
      const f = simFrames();
      const first = await spawnAgent(BIN, argv);
      await waitFor(async () => ((await recordData(router.httpUrl, 'observatory.rec')).frames_received as number) > 0, 20_000, 'receiving');
      for (const fr of [f.start, f.obs, f.scans[0]!, f.scans[1]!]) s.sender.send(fr);
      const g3 = async (): Promise<string[]> => (await listFiles(data)).filter((x) => x.endsWith('.g3'));
      const file = path.join(data, (await waitFor(async () => {
        const fs = await g3();
        return fs.length === 1 && (await stat(path.join(data, fs[0]!))).size === 226 + 2 * 834 ? fs[0] : null;
      }, 20_000, 'three frames on disk'))!);
      first.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');
      expect(decodeFrames(await readFile(file)).map((x) => x.typeName)).toEqual(['Observation', 'Scan', 'Scan']);
      expect(await exists(path.join(data, '.smurf-recorder', 'rec.open'))).toBe(true);
      // What a kill during a write can leave: the first 100 bytes of the next frame.
      await appendFile(file, encodeFrame(f.scans[2]!).subarray(0, 100));

      await using second = await spawnAgent(BIN, argv);
      await waitFor(() => second.logs.some((l) => l.msg === 'Recovered file left open by a previous run'), 20_000, 'recovery');
      const repaired = await readFile(file);
      expect(repaired.length).toBe(226 + 2 * 834);
      await waitFor(async () => ((await recordData(router.httpUrl, 'observatory.rec')).frames_received as number) > 0, 20_000, 'receiving');
      for (const fr of [f.start, f.obs, f.scans[2]!, f.end]) s.sender.send(fr);
      const rows = await waitFor(async () => {
        const c = new Database(db, { readonly: true });
        try {
          const r = c.prepare('SELECT local_path, local_md5sum, remote_path FROM supersync_v0 ORDER BY id').all() as Array<Record<string, string>>;
          return r.length === 3 ? r : null;
        } finally {
          c.close();
        }
      }, 20_000, 'three registered files');
      expect(rows[0]).toMatchObject({ local_path: file, local_md5sum: createHash('md5').update(repaired).digest('hex') });
      // The second run: a file from the replayed (cached) Observation, closed by START, then the new one.
      const files = await g3();
      expect(files).toHaveLength(3);
      expect(rows.map((r) => r.remote_path).sort()).toEqual(files.sort());
      expect(await readFile(file)).toEqual(repaired);
      // session.data keeps being refreshed (about once a second).
      const t0 = (await recordData(router.httpUrl, 'observatory.rec')).timestamp as number;
      await waitFor(async () => ((await recordData(router.httpUrl, 'observatory.rec')).timestamp as number) > t0, 5000, 'fresh data');
      expect(await recordData(router.httpUrl, 'observatory.rec')).toMatchObject({ files_closed: 2, suprsync: { registered: 3 } });
    } finally {
      await s.stop();
      await cleanup();
    }
  });
});
