/** encodeFramePieces (writev pieces) and encodeFrame's single-allocation path (§2, §2.4). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  decodeFrames, encodeFrame, encodeFramePieces, FrameType, G3Frame, G3Int, G3String, G3Timestream, G3TimestreamMap,
  G3VectorDouble, recordedFrameBytes, recordStream,
} from '../src/index.js';
import { fixture } from './helpers.js';

const cat = (pieces: Uint8Array[]): Buffer => Buffer.concat(pieces.map((p) => Buffer.from(p)));

function built(n: number): G3Frame {
  const map = new G3TimestreamMap();
  for (let c = 0; c < 64; c++) map.value.set(`r${c}`, new G3Timestream({ data: new Float64Array(100).fill(c + n), start: 1n, stop: 2n }));
  return new G3Frame(FrameType.Scan, [['frame_num', new G3Int(n)], ['sostream_id', new G3String('s')], ['data', map]]);
}

describe('encodeFramePieces', () => {
  const stream = decodeFrames(readFileSync(fixture('smurf_sim_stream.g3')));

  it('concatenates to recordedFrameBytes for every fixture frame (libstdc++ order)', () => {
    for (const f of stream) expect(cat(encodeFramePieces(f, { keyOrder: 'libstdc++' })).equals(Buffer.from(recordedFrameBytes(f)))).toBe(true);
  });

  it('reproduces smurf_sim_recorded.g3 from the kept frames of smurf_sim_stream.g3', () => {
    const kept = stream.filter((f) => !f.has('sostream_flowcontrol'));
    const bytes = Buffer.concat(kept.map((f) => cat(encodeFramePieces(f, { keyOrder: 'libstdc++' }))));
    expect(bytes.equals(readFileSync(fixture('smurf_sim_recorded.g3')))).toBe(true);
    expect(bytes.equals(Buffer.concat([...recordStream(stream)].map((b) => Buffer.from(b))))).toBe(true);
  });

  it('passes large blobs as the frame\'s own views and read frames in insertion order as [raw]', () => {
    const f = decodeFrames(encodeFrame(built(1)))[0]!;
    expect(encodeFramePieces(f)).toEqual([f.raw]);
    const pieces = encodeFramePieces(f, { keyOrder: 'libstdc++' });
    expect(pieces.some((p) => p === f.getBlob('data'))).toBe(true);
    expect(pieces.length).toBe(3); // [headers + small blobs] [data] [crc]
  });

  it('equals encodeFrame for frames built in code, both orders', () => {
    for (const keyOrder of ['insertion', 'libstdc++'] as const) {
      expect(cat(encodeFramePieces(built(2), { keyOrder })).equals(Buffer.from(encodeFrame(built(2), { keyOrder })))).toBe(true);
    }
  });
});

describe('encodeFrame of values set in code', () => {
  it('allocates the frame once from the size estimate and caches blobs that re-encode identically', () => {
    const f = built(3);
    const bytes = encodeFrame(f);
    expect(bytes.buffer.byteLength).toBeLessThan(bytes.length * 1.1);
    const back = decodeFrames(bytes)[0]!;
    expect((back.get('data') as G3TimestreamMap).value.get('r5')!.data[0]).toBe(8);
    f.set('frame_num', new G3Int(4)); // cached data blob reused
    const again = decodeFrames(encodeFrame(f))[0]!;
    expect(Buffer.from(again.getBlob('data')!).equals(Buffer.from(back.getBlob('data')!))).toBe(true);
    expect(again.getInt('frame_num')).toBe(4n);
  });

  it('grows correctly when a hint underestimates (many small vectors)', () => {
    const f = new G3Frame(FrameType.Housekeeping);
    for (let i = 0; i < 50; i++) f.set(`v${i}`, new G3VectorDouble(new Float64Array(i * 10).fill(i)));
    const back = decodeFrames(encodeFrame(f, { keyOrder: 'libstdc++' }))[0]!;
    expect(back.size).toBe(50);
    expect((back.get('v49') as G3VectorDouble).values[489]).toBe(49);
  });
});
