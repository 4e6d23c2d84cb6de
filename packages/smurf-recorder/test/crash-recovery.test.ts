/** repairFile / OpenFileMarker: cut a torn trailing frame, keep whole frames. */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeFrames } from '@smurf-ocs/g3-frame';
import { describe, expect, it } from 'vitest';
import { OpenFileMarker, repairFile } from '../src/crash-recovery.js';
import { exists, memoryLogger, tempDir } from './helpers.js';
import { flowFrame, scanFrame } from './raw-sender.js';

describe('crash recovery', () => {
  it('cuts a partial trailing frame and keeps the whole ones', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const p = path.join(dir, 'f.g3');
      const whole = Buffer.concat([scanFrame(0), scanFrame(1)]);
      await writeFile(p, Buffer.concat([whole, scanFrame(2).subarray(0, 50)]));
      const r = await repairFile(p);
      expect(r).toMatchObject({ bytes: whole.length, truncated: 50, frames: 2 });
      expect(decodeFrames(await readFile(p)).map((f) => f.getInt('frame_num'))).toEqual([0n, 1n]);
      expect((await repairFile(p)).truncated).toBe(0);
    } finally {
      await cleanup();
    }
  });

  it('recovers the file named by the marker once, then forgets it', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const p = path.join(dir, 'a.g3');
      await writeFile(p, Buffer.concat([flowFrame(0), Buffer.from([1, 1, 0])]));
      const m = new OpenFileMarker(dir, 'rec/1');
      await m.set(p);
      expect(path.basename(m.path)).toBe('rec_1.open');
      const r = await m.recover(memoryLogger().log);
      expect(r).toMatchObject({ path: p, truncated: 3, frames: 1 });
      expect(await exists(m.path)).toBe(false);
      expect(await m.recover(memoryLogger().log)).toBeUndefined();
    } finally {
      await cleanup();
    }
  });
});
