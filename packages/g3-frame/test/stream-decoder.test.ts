/** FrameDecoder: random chunk splits, zero-length chunks, and bad input with offsets. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeFrames, encodeFrame, FrameDecoder, G3Error, G3Frame, G3Int, FrameType, type G3Frame as F } from '../src/index.js';
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
