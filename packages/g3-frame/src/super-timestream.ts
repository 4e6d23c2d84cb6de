/**
 * so3g `G3SuperTimestream` (v0, g3-format.md §3.7): a 2-D (detector × sample) array with shared
 * times. Uncompressed and compressed (FLAC / bzip2 / constant-offset) variants are decoded;
 * writing is uncompressed. Blobs read from a stream are passed through unchanged unless replaced.
 */
import type { ArchiveReader, ArchiveWriter } from './archive.js';
import { bunzip2 } from './bzip2.js';
import { G3DecodeError } from './errors.js';
import { decodeFlac } from './flac.js';
import { G3FrameObject } from './object.js';
import { G3VectorString, G3VectorTime } from './vectors.js';

/** Sample array of a super timestream, detector-major (`data[det * nSamples + i]`). */
export type SuperTimestreamData = Int32Array | BigInt64Array | Float32Array | Float64Array;

const TYPES: Record<number, { size: number; make: (n: number) => SuperTimestreamData }> = {
  5: { size: 4, make: (n) => new Int32Array(n) },
  7: { size: 8, make: (n) => new BigInt64Array(n) },
  11: { size: 4, make: (n) => new Float32Array(n) },
  12: { size: 8, make: (n) => new Float64Array(n) },
};

function typeNumOf(d: SuperTimestreamData): number {
  if (d instanceof Int32Array) return 5;
  if (d instanceof BigInt64Array) return 7;
  if (d instanceof Float32Array) return 11;
  return 12;
}

/** A detector × sample array (numpy type numbers 5/7/11/12 = int32/int64/float32/float64). */
export class G3SuperTimestream extends G3FrameObject {
  readonly className = 'G3SuperTimestream';
  constructor(
    /** Sample times, 10 ns ticks. */
    public times: BigInt64Array,
    /** Detector names, one per row. */
    public names: string[],
    /** Samples, detector-major, length names.length × times.length. */
    public data: SuperTimestreamData,
    /** Per-detector calibration factors of compressed float data (decoded values include them). */
    public quanta?: Float64Array,
  ) {
    super();
  }

  /** @internal */
  static decode(r: ArchiveReader): G3SuperTimestream {
    r.objectHeader('G3SuperTimestream', 0);
    r.i8(); // flac_level
    r.i8(); // bz2_workFactor
    const times = readTimes(r);
    r.objectHeader('G3VectorString', 1);
    const names = G3VectorString.readItems(r);
    const typeAt = r.pos;
    const typeNum = Number(r.i64());
    const t = TYPES[typeNum];
    if (!t) throw new G3DecodeError(`unsupported numpy type ${typeNum}`, { offset: r.base + typeAt });
    r.i64(); // ndim
    const shape: number[] = [];
    for (let i = 0; i < 32; i++) shape.push(Number(r.i64()));
    const nDet = shape[0]!;
    const nSamp = shape[1]!;
    const nbytes = Number(r.i64());
    if (nDet < 0 || nSamp < 0 || nDet * nSamp * t.size !== nbytes || nDet !== names.length) {
      throw new G3DecodeError('inconsistent G3SuperTimestream shape', { offset: r.base + typeAt });
    }
    const algo = r.i8();
    if (algo === 0) {
      r.need(nbytes);
      const data = t.make(nDet * nSamp);
      new Uint8Array(data.buffer).set(r.raw(nbytes));
      return new G3SuperTimestream(times, names, data);
    }
    if (nbytes > r.remaining * 64 + (1 << 20)) throw new G3DecodeError('implausible compressed size', { offset: r.base + typeAt });
    return decodeCompressed(r, times, names, t, nDet, nSamp, typeNum);
  }

  /** @internal Uncompressed layout (flac_level 0, no bzip2, times_algo 0, data_algo 0). */
  encodeBody(w: ArchiveWriter): void {
    const nDet = this.names.length;
    const nSamp = this.times.length;
    w.objectHeader('G3SuperTimestream', 0);
    w.i8(0);
    w.i8(0);
    w.i8(0);
    w.objectHeader('G3VectorTime', 1);
    G3VectorTime.writeItems(w, this.times);
    w.objectHeader('G3VectorString', 1);
    w.u64(nDet);
    for (const s of this.names) w.str(s);
    w.i64(BigInt(typeNumOf(this.data)));
    w.i64(2n);
    for (let i = 0; i < 32; i++) w.i64(BigInt(i === 0 ? nDet : i === 1 ? nSamp : 0));
    w.i64(BigInt(this.data.byteLength));
    w.i8(0);
    w.typed(this.data);
  }
}

/** `i8 times_algo`, then a G3VectorTime object (0) or bzip2-compressed ticks (2). */
function readTimes(r: ArchiveReader): BigInt64Array {
  const at = r.pos;
  const algo = r.i8();
  if (algo === 0) {
    r.objectHeader('G3VectorTime', 1);
    return G3VectorTime.readItems(r);
  }
  if (algo !== 2) throw new G3DecodeError(`unknown times_algo ${algo}`, { offset: r.base + at });
  const n = r.i32();
  const raw = bunzip2(r.raw(r.u32()));
  if (n < 0 || raw.length < n * 8) throw new G3DecodeError('bzip2 times too short', { offset: r.base + at });
  return new BigInt64Array(raw.slice(0, n * 8).buffer);
}

function decodeCompressed(
  r: ArchiveReader,
  times: BigInt64Array,
  names: string[],
  t: { size: number; make: (n: number) => SuperTimestreamData },
  nDet: number,
  nSamp: number,
  typeNum: number,
): G3SuperTimestream {
  const quanta = r.typed(Float64Array, r.count(8, 'quanta'));
  const offsets = r.typed(Int32Array, r.count(4, 'offsets'));
  const payload = r.raw(r.i32());
  const base = r.base + r.pos - payload.length;
  if (offsets.length < nDet || (typeNum >= 11 && quanta.length < nDet)) throw new G3DecodeError('missing per-detector offsets/quanta', { offset: base });
  const data = t.make(nDet * nSamp);
  const acc = new Float64Array(nSamp);
  for (let d = 0; d < nDet; d++) {
    decodeDetector(payload, offsets[d]!, base, t.size, acc);
    const q = typeNum >= 11 ? quanta[d]! : 1;
    for (let i = 0; i < nSamp; i++) {
      if (data instanceof BigInt64Array) data[d * nSamp + i] = BigInt(acc[i]!);
      else data[d * nSamp + i] = acc[i]! * q;
    }
  }
  return new G3SuperTimestream(times, names, data, quanta);
}

function decodeDetector(payload: Uint8Array, off: number, base: number, size: number, acc: Float64Array): void {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  const fail = (m: string): never => {
    throw new G3DecodeError(`G3SuperTimestream: ${m}`, { offset: base + off });
  };
  if (off < 0 || off >= payload.length) fail('bad detector offset');
  acc.fill(0);
  let p = off;
  const algo = view.getInt8(p++);
  const take = (): Uint8Array => {
    if (p + 4 > payload.length) fail('truncated');
    const len = view.getInt32(p, true);
    p += 4;
    if (len < 0 || p + len > payload.length) fail('bad length');
    const b = payload.subarray(p, p + len);
    p += len;
    return b;
  };
  if (algo & 1) {
    const s = decodeFlac(take(), base + p);
    for (let i = 0; i < acc.length && i < s.length; i++) acc[i] = acc[i]! + s[i]!;
  }
  if (algo & 2) {
    const raw = bunzip2(take());
    const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let i = 0; i < acc.length && (i + 1) * size <= raw.length; i++) {
      acc[i] = acc[i]! + (size === 4 ? dv.getInt32(i * size, true) : Number(dv.getBigInt64(i * size, true)));
    }
  }
  if (algo & 4) {
    if (p + size > payload.length) fail('truncated constant');
    const c = size === 4 ? view.getInt32(p, true) : Number(view.getBigInt64(p, true));
    for (let i = 0; i < acc.length; i++) acc[i] = acc[i]! + c;
  }
}
