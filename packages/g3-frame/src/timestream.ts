/**
 * `G3Timestream` (g3-format.md §3.4): versions 4 (now), 3 (2022-08…2025-04), 2 (2017…2022-08)
 * and 1 (ancient, no start/stop) are read, uncompressed or FLAC; writing uses v4 uncompressed.
 */
import type { ArchiveReader, ArchiveWriter } from './archive.js';
import { G3DecodeError } from './errors.js';
import { decodeFlac } from './flac.js';
import { G3FrameObject } from './object.js';
import { checkInt64, TICKS_PER_SECOND } from './scalars.js';

/** `TimestreamUnits` enum of spt3g (u32 on disk). */
export enum TimestreamUnits {
  None = 0,
  Counts = 1,
  Current = 2,
  Power = 3,
  Tcmb = 4,
  Resistance = 5,
  Angle = 6,
  Distance = 7,
  Voltage = 8,
  Pressure = 9,
  FluxDensity = 10,
  Trj = 11,
  Frequency = 12,
}

/** Sample storage of a timestream; the array type is the dtype (data_type 0..3 on disk). */
export type TimestreamData = Float64Array | Float32Array | Int32Array | BigInt64Array;

const DTYPE_SIZE = [8, 4, 4, 8] as const;

function dataTypeOf(d: TimestreamData): number {
  if (d instanceof Float64Array) return 0;
  if (d instanceof Float32Array) return 1;
  if (d instanceof Int32Array) return 2;
  return 3;
}

function readTyped(r: ArchiveReader, dtype: number, n: number): TimestreamData {
  if (dtype === 0) return r.typed(Float64Array, n);
  if (dtype === 1) return r.typed(Float32Array, n);
  if (dtype === 2) return r.typed(Int32Array, n);
  return r.typed(BigInt64Array, n);
}

/** Construction fields of a {@link G3Timestream}. */
export interface G3TimestreamInit {
  /** Samples; the array type selects the stored dtype. */
  data: TimestreamData;
  /** Units (default None). */
  units?: TimestreamUnits;
  /** Time of the first sample, 10 ns ticks (default 0). */
  start?: bigint;
  /** Time of the last sample, 10 ns ticks (default 0). */
  stop?: bigint;
}

/** A timestream: samples, units and start/stop times (10 ns ticks). */
/** Placeholder until the samples are read (never handed out: replaced in decode). */
const NO_SAMPLES = new Float64Array(0);

export class G3Timestream extends G3FrameObject {
  readonly className = 'G3Timestream';
  data: TimestreamData;
  units: TimestreamUnits;
  start: bigint;
  stop: bigint;
  /** FLAC level the samples were stored with (0 = uncompressed). Writing is always uncompressed. */
  flacLevel = 0;
  /** FLAC bit depth (24 in old/compressed data; 32 default, as python reports). */
  flacBitDepth = 32;

  constructor(init: G3TimestreamInit) {
    super();
    this.data = init.data;
    this.units = init.units ?? TimestreamUnits.None;
    this.start = init.start ?? 0n;
    this.stop = init.stop ?? 0n;
  }

  /** Number of samples. */
  get nSamples(): number {
    return this.data.length;
  }

  /** Sample rate in Hz: (n − 1) / (stop − start) as python computes it; NaN if undefined. */
  get sampleRateHz(): number {
    const dt = Number(this.stop - this.start);
    return dt === 0 ? NaN : ((this.data.length - 1) * Number(TICKS_PER_SECOND)) / dt;
  }

  /**
   * Sample times in ticks, evenly spaced from `start` to `stop` inclusive (python `times`).
   * A single sample is at `start`.
   */
  times(): BigInt64Array {
    const n = this.data.length;
    const out = new BigInt64Array(n);
    if (n === 0) return out;
    const span = this.stop - this.start;
    const d = BigInt(Math.max(n - 1, 1));
    for (let i = 0; i < n; i++) out[i] = this.start + (span * BigInt(i)) / d;
    return out;
  }

  /** @internal Object header + fields (the pointer was already read). */
  static decode(r: ArchiveReader): G3Timestream {
    const v = r.objectHeader('G3Timestream', 4);
    const units = r.u32();
    let start = 0n;
    let stop = 0n;
    if (v >= 2) {
      r.objectHeader('G3Time', 1);
      start = r.i64Shared(0);
      r.objectHeader('G3Time', 1);
      stop = r.i64Shared(1);
    }
    const flac = r.u8();
    const ts = new G3Timestream({ data: NO_SAMPLES, units, start, stop });
    if (flac === 0) {
      const at = r.pos;
      const dtype = v >= 3 ? r.u32() : 0;
      const size = DTYPE_SIZE[dtype];
      if (size === undefined) throw new G3DecodeError(`bad timestream data_type ${dtype}`, { offset: r.base + at });
      const n = r.count(size, 'G3Timestream samples');
      ts.data = readTyped(r, dtype, n);
    } else {
      readFlacBody(r, v, ts);
      ts.flacLevel = flac;
    }
    return ts;
  }

  /** @internal */
  override encodedSizeHint(): number {
    return 96 + this.data.byteLength;
  }
  /** @internal v4, uncompressed. */
  encodeBody(w: ArchiveWriter): void {
    checkInt64(this.start, 'start');
    checkInt64(this.stop, 'stop');
    w.objectHeader('G3Timestream', 4);
    w.u32(this.units);
    w.objectHeader('G3Time', 1);
    w.i64(this.start);
    w.objectHeader('G3Time', 1);
    w.i64(this.stop);
    w.u8(0);
    w.u32(dataTypeOf(this.data));
    w.u64(this.data.length);
    w.typed(this.data);
  }
}

/** FLAC branch of §3.4: depth, data_type, nanflag, mask, FLAC stream. */
function readFlacBody(r: ArchiveReader, v: number, ts: G3Timestream): void {
  const depth = v >= 4 ? r.u8() : 24;
  const at = r.pos;
  const dtype = v >= 4 ? r.u32() : 1;
  if (dtype > 3) throw new G3DecodeError(`bad timestream data_type ${dtype}`, { offset: r.base + at });
  const nanAt = r.pos;
  const nanflag = r.u8();
  if (nanflag > 2) throw new G3DecodeError(`bad FLAC nanflag ${nanflag}`, { offset: r.base + nanAt });
  const mask = nanflag === 2 ? r.bytesView('NaN mask') : undefined;
  const streamAt = r.pos + 8;
  const stream = r.bytesView('FLAC stream');
  const ints = decodeFlac(stream, r.base + streamAt);
  const n = ints.length;
  let data: TimestreamData;
  if (dtype === 0) data = Float64Array.from(ints);
  else if (dtype === 1) data = Float32Array.from(ints);
  else if (dtype === 2) data = ints;
  else data = BigInt64Array.from(ints, (x) => BigInt(x));
  if (data instanceof Float64Array || data instanceof Float32Array) {
    if (nanflag === 1) data.fill(NaN);
    else if (mask) {
      const m = Math.min(mask.length, n);
      for (let i = 0; i < m; i++) if (mask[i] !== 0) data[i] = NaN;
    }
  }
  ts.data = data;
  ts.flacBitDepth = depth;
}
