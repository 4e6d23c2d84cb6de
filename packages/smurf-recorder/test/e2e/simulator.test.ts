/**
 * smurf-stream-simulator bin -> smurf-recorder bin over loopback, both spawned as operators run
 * them, with our router (spec C2.2 end to end): one file in <tc5>/stream_sim/, Observation first,
 * then the Scans with consecutive frame_num, no flow-control frames.
 */
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { decodeFrames } from '@smurf-ocs/g3-frame';
import { spawnAgent, startRouter } from '@smurf-ocs/ocs-agent-core/testing';
import { describe, expect, it } from 'vitest';
import { ops, recordData } from '../agent-helpers.js';
import { listFiles, tempDir, waitFor } from '../helpers.js';

const REC = path.resolve(import.meta.dirname, '../../bin/smurf-recorder.ts');
const SIM = path.resolve(import.meta.dirname, '../../../smurf-stream-simulator/bin/smurf-stream-simulator.ts');

/** A port that was free a moment ago (the simulator listens on a fixed port, as in Python). */
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('simulator -> recorder', () => {
  it('records a simulator acquisition into one file (C2.2)', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await using router = await startRouter();
      const port = await freePort();
      const common = ['--site', 'none', '--site-hub', router.url];
      await using rec = await spawnAgent(REC, [...common, '--instance-id', 'rec', '--data-dir', dir, '--address', '127.0.0.1', '--port', String(port), '--auto-start', 'True']);
      await using sim = await spawnAgent(SIM, [...common, '--instance-id', 'sim', '--port', String(port), '--bind-address', '127.0.0.1', '--num-chans', '16', '--frame-rate', '5', '--auto-start', 'True']);
      await waitFor(async () => ((await recordData(router.httpUrl, 'observatory.rec')).frames_written as number) >= 6, 30_000, 'scans recorded');
      await ops(router.httpUrl, 'observatory.sim', ['start', 'stop', {}]);
      const d = await waitFor(async () => {
        const x = await recordData(router.httpUrl, 'observatory.rec');
        return (x.files_closed as number) >= 1 ? x : null;
      }, 30_000, 'file closed by END');
      expect(d.stream_errors).toBe(0);
      const files = (await listFiles(dir)).filter((f) => f.endsWith('.g3'));
      expect(files).toHaveLength(1);
      expect(files[0]).toMatch(/^\d{5}\/stream_sim\/\d{10}_000\.g3$/);
      const frames = decodeFrames(await readFile(path.join(dir, files[0]!)));
      expect(frames[0]!.typeName).toBe('Observation');
      const scans = frames.slice(1);
      expect(scans.every((f) => f.typeName === 'Scan' && !f.has('sostream_flowcontrol'))).toBe(true);
      const nums = scans.map((f) => Number(f.getInt('frame_num')));
      expect(nums.length).toBeGreaterThanOrEqual(5);
      expect(nums).toEqual(nums.map((_, i) => nums[0]! + i));
    } finally {
      await cleanup();
    }
  });
});
