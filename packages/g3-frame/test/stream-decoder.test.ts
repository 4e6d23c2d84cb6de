/** FrameDecoder: random chunk splits, zero-length chunks, and bad input with offsets. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeFrames, encodeFrame, FrameDecoder, G3Error, G3Frame, G3Int, G3VectorDouble, FrameType, type G3Frame as F } from '../src/index.js';
import { fixture } from './helpers.js';
import { mulberry32 } from './rng.js';

const stream = readFileSync(fixture('smurf_sim_stream.g3'));
const expected = decodeFrames(stream);

function splitDecode(bytes: Uint8Array, seed: number, maxChunk: number): F[] {
  const rnd = mulberry32(seed);
  const d = new FrameDecoder();
  const out: F[] = [];
  let p = 0;
  while (p < bytes.length) {
    const n = Math.floor(rnd() * maxChunk);
    out.push(...d.push(bytes.subarray(p, p + n)));
    p += n;
  }
  out.push(...d.end());
  return out;
}

describe('FrameDecoder', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('decodes with random chunk splits (seed %i)', (seed) => {
    const frames = splitDecode(stream, seed, seed % 2 ? 7 : 700);
    expect(frames.length).toBe(expected.length);
    frames.forEach((f, i) => {
      expect(Buffer.from(f.raw!).equals(Buffer.from(expected[i]!.raw!))).toBe(true);
      expect(f.offset).toBe(expected[i]!.offset);
    });
  });

  it('decodes byte by byte', () => {
    expect(splitDecode(stream, 99, 2).length).toBe(11);
  });

  it('frames handed out stay intact after more chunks arrive', () => {
    const d = new FrameDecoder();
    const half = Math.floor(stream.length / 2);
    const first = d.push(Uint8Array.from(stream.subarray(0, half)));
    const copies = first.map((f) => Buffer.from(f.raw!));
    d.push(Uint8Array.from(stream.subarray(half)));
    first.forEach((f, i) => expect(Buffer.from(f.raw!).equals(copies[i]!)).toBe(true));
  });
});

function expectG3(fn: () => unknown, code: string, offset?: number): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(G3Error);
    expect((e as G3Error).code).toBe(code);
    if (offset !== undefined) expect((e as G3Error).offset).toBe(offset);
    return;
  }
  throw new Error('expected a G3Error');
}

describe('bad input', () => {
  const good = encodeFrame(new G3Frame(FrameType.None, [['sostream_flowcontrol', new G3Int(0)]]));

  it('a wrong CRC gives G3_ERR_CRC with the frame offset', () => {
    const bad = Buffer.concat([good, good]);
    bad[good.length + 60] = bad[good.length + 60]! ^ 0xff;
    expectG3(() => decodeFrames(bad), 'G3_ERR_CRC', good.length);
  });

  it('a length field claiming terabytes gives G3_ERR_BAD_LENGTH without allocating', () => {
    const bad = Buffer.from(good);
    bad.writeBigUInt64LE(1n << 42n, 13);
    expectG3(() => new FrameDecoder().push(bad), 'G3_ERR_BAD_LENGTH', 13);
  });

  it('a truncated frame gives G3_ERR_TRUNCATED at end of input', () => {
    const d = new FrameDecoder();
    expect(d.push(good.subarray(0, 50))).toEqual([]);
    expectG3(() => d.end(), 'G3_ERR_TRUNCATED', 0);
  });

  it('garbage between frames gives G3_ERR_GARBAGE with its offset', () => {
    const bad = Buffer.concat([good, Buffer.from('junk'), good]);
    expectG3(() => decodeFrames(bad), 'G3_ERR_GARBAGE', good.length);
  });

  it('a newer frame version gives G3_ERR_VERSION', () => {
    const bad = Buffer.from(good);
    bad.writeUInt32LE(2, 1);
    expectG3(() => decodeFrames(bad), 'G3_ERR_VERSION', 1);
  });

  it('resync mode skips garbage and bad frames and reports each fault', () => {
    const corrupt = Buffer.from(good);
    corrupt[60] = corrupt[60]! ^ 0xff;
    const input = Buffer.concat([good, Buffer.from('garbage!'), corrupt, good, good.subarray(0, 30)]);
    const errors: G3Error[] = [];
    const d = new FrameDecoder({ resync: true, onError: (e) => errors.push(e) });
    const frames = [...d.push(input), ...d.end()];
    expect(frames.length).toBe(2);
    expect(frames[1]!.offset).toBe(good.length * 2 + 8);
    expect(errors.map((e) => e.code)).toEqual(['G3_ERR_GARBAGE', 'G3_ERR_CRC', 'G3_ERR_TRUNCATED']);
  });

  it('a malformed blob fails only on get(), with a typed error', () => {
    const f = new G3Frame(FrameType.Scan).setBlob('x', Uint8Array.from([1, 1, 0, 0, 0x80, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    const back = decodeFrames(encodeFrame(f))[0]!;
    expect(back.keys()).toEqual(['x']);
    expectG3(() => back.get('x'), 'G3_ERR_BAD_LENGTH');
  });
});

describe('reuseBuffer (pass-through mode)', () => {
  it('yields the same frames when each is consumed before the next push', () => {
    const d = new FrameDecoder({ reuseBuffer: true });
    const got: string[] = [];
    for (let p = 0; p < stream.length; p += 100) {
      for (const f of d.push(stream.subarray(p, p + 100))) got.push(Buffer.from(f.raw!).toString('hex'));
    }
    d.end();
    expect(got).toEqual(expected.map((f) => Buffer.from(f.raw!).toString('hex')));
  });
});

describe('copy behaviour of multi-MB frames in small chunks', () => {
  const big = (n: number): Uint8Array =>
    encodeFrame(new G3Frame(FrameType.Scan, [['frame_num', new G3Int(n)], ['data', new G3VectorDouble(new Float64Array(300_000).fill(n))]]));
  const frames = [0, 1, 2, 3].map(big); // 2.4 MB each
  const all = Buffer.concat(frames);

  it('assembles each frame in one buffer sized for it and parses whole frames in place', () => {
    const d = new FrameDecoder();
    const got: F[] = [];
    for (let p = 0; p < all.length; p += 65536) got.push(...d.push(all.subarray(p, p + 65536)));
    expect(got.map((f) => f.getInt('frame_num'))).toEqual([0n, 1n, 2n, 3n]);
    for (const f of got) {
      expect(Buffer.from(f.raw!).equals(Buffer.from(frames[Number(f.getInt('frame_num'))]!))).toBe(true);
      // one buffer per frame, sized from its length fields (not a doubling chain)
      expect(f.raw!.buffer.byteLength).toBeLessThan(f.raw!.length + 2 * 65536 + 1);
    }
    const one = new FrameDecoder().push(all);
    expect(one.every((f) => f.raw!.buffer === all.buffer)).toBe(true);
  });

  it('reserve() offers the whole remainder of a frame once its length is known', () => {
    const d = new FrameDecoder();
    const r1 = d.reserve(1024);
    all.copy(r1, 0, 0, 1024);
    expect(d.commit(1024)).toEqual([]);
    const r2 = d.reserve(1024);
    expect(r2.length).toBe(frames[0]!.length - 1024);
    all.copy(r2, 0, 1024, frames[0]!.length);
    const [f] = d.commit(r2.length);
    expect(f!.raw!.buffer).toBe(r2.buffer);
    expect(Buffer.from(f!.raw!).equals(Buffer.from(frames[0]!))).toBe(true);
  });

  it('release() recycles a buffer only after all its frames are released', () => {
    const d = new FrameDecoder();
    const feed = (bytes: Uint8Array): F[] => {
      const out: F[] = [];
      for (let p = 0; p < bytes.length; p += 65536) out.push(...d.push(bytes.subarray(p, p + 65536)));
      return out;
    };
    const [a, b] = feed(Buffer.concat([frames[0]!, frames[1]!]));
    d.release(a!);
    d.release(a!); // twice: ignored
    const [c] = feed(frames[2]!);
    expect(c!.raw!.buffer).toBe(a!.raw!.buffer); // a's buffer reused
    expect(Buffer.from(b!.raw!).equals(Buffer.from(frames[1]!))).toBe(true); // b untouched
    const [e] = feed(frames[3]!);
    expect(e!.raw!.buffer).not.toBe(b!.raw!.buffer); // b not released: never reused
    expect(Buffer.from(b!.raw!).equals(Buffer.from(frames[1]!))).toBe(true);
  });
});

describe('deferErrors', () => {
  const good = encodeFrame(new G3Frame(FrameType.None, [['sostream_flowcontrol', new G3Int(0)]]));

  it('returns the frames before a fault, then throws it on every later call', () => {
    const d = new FrameDecoder({ deferErrors: true });
    const frames = d.push(Buffer.concat([good, good, Buffer.alloc(32, 0xee), good]));
    expect(frames).toHaveLength(2);
    expect(d.error?.code).toBe('G3_ERR_GARBAGE');
    expect(d.error?.offset).toBe(2 * good.length);
    expectG3(() => d.push(good), 'G3_ERR_GARBAGE');
    expectG3(() => d.reserve(10), 'G3_ERR_GARBAGE');
    expectG3(() => d.end(), 'G3_ERR_GARBAGE');
  });

  it('without it the first fault throws at once (frames of that call are not returned)', () => {
    const d = new FrameDecoder();
    expectG3(() => d.push(Buffer.concat([good, Buffer.alloc(8, 0xee)])), 'G3_ERR_GARBAGE');
    expect(d.error?.code).toBe('G3_ERR_GARBAGE');
  });
});

describe('reserve/commit with release, random sizes', () => {
  it.each([11, 12, 13])('every frame matches and unreleased frames stay intact (seed %i)', (seed) => {
    const rnd = mulberry32(seed);
    const sizes = Array.from({ length: 40 }, () => Math.floor(rnd() * 3) === 0 ? Math.floor(rnd() * 200_000) : Math.floor(rnd() * 300));
    const src = sizes.map((n, i) => Buffer.from(encodeFrame(new G3Frame(FrameType.Scan, [['i', new G3Int(i)], ['v', new G3VectorDouble(new Float64Array(n).fill(i))]]))));
    const all = Buffer.concat(src);
    const d = new FrameDecoder();
    const kept: F[] = [];
    const released = new Map<ArrayBufferLike, Array<[number, number]>>(); // byte ranges of released frames
    let reused = 0;
    let got = 0;
    for (let p = 0; p < all.length; ) {
      const region = d.reserve(1 + Math.floor(rnd() * 70_000));
      const n = Math.min(region.length, all.length - p, 1 + Math.floor(rnd() * 400_000));
      all.copy(region, 0, p, p + n);
      p += n;
      for (const f of d.commit(n)) {
        const i = Number(f.getInt('i'));
        expect(i).toBe(got++);
        expect(Buffer.from(f.raw!).equals(src[i]!)).toBe(true);
        const [a, b] = [f.raw!.byteOffset, f.raw!.byteOffset + f.raw!.length];
        if (released.get(f.raw!.buffer)?.some(([x, y]) => a < y && x < b)) reused++; // memory of a released frame
        if (rnd() < 0.7) {
          released.set(f.raw!.buffer, [...(released.get(f.raw!.buffer) ?? []), [a, b]]);
          d.release(f);
        } else kept.push(f);
      }
    }
    expect([...d.end()]).toEqual([]);
    expect(got).toBe(src.length);
    expect(reused).toBeGreaterThan(0); // released buffers did come back
    for (const f of kept) expect(Buffer.from(f.raw!).equals(src[Number(f.getInt('i'))]!)).toBe(true);
  });
});
