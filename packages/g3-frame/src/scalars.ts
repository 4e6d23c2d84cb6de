/** Scalar classes, all version 1 since 2017 (g3-format.md §3.1). */
import type { ArchiveReader, ArchiveWriter } from './archive.js';
import { G3EncodeError } from './errors.js';
import { G3FrameObject } from './object.js';

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;

/** @internal Throw G3_ERR_ENCODE unless `v` fits in an int64. */
export function checkInt64(v: bigint, what: string): void {
  if (v < INT64_MIN || v > INT64_MAX) throw new G3EncodeError(`${what} ${v} does not fit in int64`);
}

/** `G3Int`: a signed 64-bit integer (`bigint`, exact beyond 2^53). */
export class G3Int extends G3FrameObject {
  readonly className = 'G3Int';
  readonly value: bigint;
  /** @param value integer; a non-integer number throws RangeError */
  constructor(value: bigint | number) {
    super();
    this.value = BigInt(value);
  }
  /** The value as a JS number (inexact beyond 2^53). */
  toNumber(): number {
    return Number(this.value);
  }
  /** @internal */
  static decode(r: ArchiveReader): G3Int {
    r.objectHeader('G3Int', 1);
    return new G3Int(r.i64());
  }
  /** @internal */
  encodeBody(w: ArchiveWriter): void {
    checkInt64(this.value, 'G3Int');
    w.objectHeader('G3Int', 1);
    w.i64(this.value);
  }
}

/** `G3Double`: an IEEE-754 double. */
export class G3Double extends G3FrameObject {
  readonly className = 'G3Double';
  constructor(readonly value: number) {
    super();
  }
  /** @internal */
  static decode(r: ArchiveReader): G3Double {
    r.objectHeader('G3Double', 1);
    return new G3Double(r.f64());
  }
  /** @internal */
  encodeBody(w: ArchiveWriter): void {
    w.objectHeader('G3Double', 1);
    w.f64(this.value);
  }
}

/** `G3String`: a byte string, exposed as UTF-8 decoded text. */
export class G3String extends G3FrameObject {
  readonly className = 'G3String';
  constructor(readonly value: string) {
    super();
  }
  /** @internal */
  static decode(r: ArchiveReader): G3String {
    r.objectHeader('G3String', 1);
    return new G3String(r.str());
  }
  /** @internal */
  encodeBody(w: ArchiveWriter): void {
    w.objectHeader('G3String', 1);
    w.str(this.value);
  }
}

/** `G3Bool`: stored as u8 0/1 (any non-zero byte reads as true). */
export class G3Bool extends G3FrameObject {
  readonly className = 'G3Bool';
  constructor(readonly value: boolean) {
    super();
  }
  /** @internal */
  static decode(r: ArchiveReader): G3Bool {
    r.objectHeader('G3Bool', 1);
    return new G3Bool(r.u8() !== 0);
  }
  /** @internal */
  encodeBody(w: ArchiveWriter): void {
    w.objectHeader('G3Bool', 1);
    w.u8(this.value ? 1 : 0);
  }
}

/** Ticks (10 ns) per second: `G3Units.s`. */
export const TICKS_PER_SECOND = 100_000_000n;

/** `G3Time`: signed 64-bit count of 10 ns ticks since the Unix epoch (no leap seconds). */
export class G3Time extends G3FrameObject {
  readonly className = 'G3Time';
  readonly ticks: bigint;
  constructor(ticks: bigint | number) {
    super();
    this.ticks = BigInt(ticks);
  }
  /** From a ctime (float seconds since the Unix epoch); rounded to the nearest tick. */
  static fromCtime(seconds: number): G3Time {
    const whole = Math.floor(seconds);
    return new G3Time(BigInt(whole) * TICKS_PER_SECOND + BigInt(Math.round((seconds - whole) * 1e8)));
  }
  /** Current wall-clock time (millisecond resolution). */
  static now(): G3Time {
    return new G3Time(BigInt(Date.now()) * 100_000n);
  }
  /** ctime in seconds (float; loses sub-microsecond precision). */
  toCtime(): number {
    const s = this.ticks / TICKS_PER_SECOND;
    return Number(s) + Number(this.ticks - s * TICKS_PER_SECOND) / 1e8;
  }
  /** @internal Fields after the header: `[G3Time v1][base] i64`. */
  static readFields(r: ArchiveReader): bigint {
    r.objectHeader('G3Time', 1);
    return r.i64();
  }
  /** @internal */
  static decode(r: ArchiveReader): G3Time {
    return new G3Time(G3Time.readFields(r));
  }
  /** @internal */
  static writeFields(w: ArchiveWriter, ticks: bigint): void {
    checkInt64(ticks, 'G3Time');
    w.objectHeader('G3Time', 1);
    w.i64(ticks);
  }
  /** @internal */
  encodeBody(w: ArchiveWriter): void {
    G3Time.writeFields(w, this.ticks);
  }
}
