/** FrameSplitter: frames across chunk boundaries, faults after whole frames, buffer reuse. */
import { encodeFrame, G3Frame, G3VectorDouble, G3Int } from '@smurf-ocs/g3-frame';
import { describe, expect, it } from 'vitest';
import { FrameSplitter } from '../src/frame-splitter.js';

const big = (n: number, size: number): Buffer =>
  Buffer.from(encodeFrame(new G3Frame(0x53, [['frame_num', new G3Int(n)], ['data', new G3VectorDouble(new Float64Array(size).fill(n))]])));

describe('FrameSplitter', () => {
  it('cuts frames from arbitrary chunks and keeps released memory from clobbering live frames', () => {
    const sp = new FrameSplitter(1 << 30);
    const frames = Array.from({ length: 12 }, (_, i) => big(i, 100_000 + i * 1000)); // ~0.8 MB each
    const stream = Buffer.concat(frames);
    const got: G3Frame[] = [];
    for (let p = 0; p < stream.length; ) {
      const dst = sp.reserve(1000);
      const n = Math.min(dst.length, 70_001, stream.length - p);
      stream.copy(dst, 0, p, p + n);
      p += n;
      const r = sp.commit(n);
      expect(r.error).toBeUndefined();
      for (const f of r.frames) {
        got.push(f);
        // Release every other frame at once; keep the rest alive to the end.
        if (Number(f.getInt('frame_num')) % 2 === 0) sp.release(f);
      }
    }
    const live = got.filter((f) => Number(f.getInt('frame_num')) % 2 === 1);
    expect(got).toHaveLength(12);
    for (const f of live) expect(Buffer.from(f.raw!).equals(frames[Number(f.getInt('frame_num'))]!)).toBe(true);
  });

  it('returns the frames before a fault together with the fault', () => {
    const sp = new FrameSplitter(1 << 30);
    const r = sp.push(Buffer.concat([big(0, 10), big(1, 10), Buffer.alloc(32, 0xee)]));
    expect(r.frames).toHaveLength(2);
    expect(r.error?.code).toBe('G3_ERR_GARBAGE');
    expect(sp.push(big(2, 10)).error).toBe(r.error);
  });
});
