/** `G3Vector<T>` classes (g3-format.md §3.2). */
import type { ArchiveReader, ArchiveWriter } from './archive.js';
import { readInts, readStoreBits, storeBitsFor, writeInts } from './int-width.js';
import { G3FrameObject } from './object.js';
import { checkInt64 } from './scalars.js';

/** `G3VectorDouble` (v1): `vec<f64>`. NaN payloads and -0 are preserved. */
export class G3VectorDouble extends G3FrameObject {
  readonly className = 'G3VectorDouble';
  readonly values: Float64Array;
  constructor(values: Float64Array | ArrayLike<number>) {
    super();
    this.values = values instanceof Float64Array ? values : Float64Array.from(values);
  }
  /** @internal */
  static decode(r: ArchiveReader): G3VectorDouble {
    r.objectHeader('G3VectorDouble', 1);
    const n = r.count(8, 'G3VectorDouble');
    return new G3VectorDouble(r.typed(Float64Array, n));
  }
  /** @internal */
  override encodedSizeHint(): number {
    return 64 + this.values.byteLength;
  }
  /** @internal */
  encodeBody(w: ArchiveWriter): void {
    w.objectHeader('G3VectorDouble', 1);
    w.u64(this.values.length);
    w.typed(this.values);
  }
}

/**
 * `G3VectorInt`: v2 (since 2020-11) `i32 store_bits` + narrowed `vec<int{bits}>`; v1 `vec<i32>`.
 * Values are exact 64-bit integers. Writing always uses v2 and the width spt3g would pick.
 */
export class G3VectorInt extends G3FrameObject {
  readonly className = 'G3VectorInt';
  readonly values: BigInt64Array;
  constructor(values: BigInt64Array | ArrayLike<number | bigint>) {
    super();
    this.values = values instanceof BigInt64Array ? values : BigInt64Array.from(Array.from(values, (x) => BigInt(x)));
  }
  /** The values as JS numbers (inexact beyond 2^53). */
  toNumbers(): number[] {
    return Array.from(this.values, Number);
  }
  /** @internal */
  static decode(r: ArchiveReader): G3VectorInt {
    const v = r.objectHeader('G3VectorInt', 2);
    const bits = v >= 2 ? readStoreBits(r) : 32;
    const n = r.count(bits / 8, 'G3VectorInt');
    return new G3VectorInt(readInts(r, n, bits));
  }
  /** @internal */
  encodeBody(w: ArchiveWriter): void {
    w.objectHeader('G3VectorInt', 2);
    const bits = storeBitsFor(this.values);
    w.i32(bits);
    w.u64(this.values.length);
    writeInts(w, this.values, bits);
  }
}

/** `G3VectorString` (v1): `u64 n`, n × `str`. */
export class G3VectorString extends G3FrameObject {
  readonly className = 'G3VectorString';
  constructor(readonly values: string[]) {
    super();
  }
  /** @internal Fields after the class header (also used inside G3SuperTimestream). */
  static readItems(r: ArchiveReader): string[] {
    const n = r.count(8, 'G3VectorString');
    const out: string[] = new Array<string>(n);
    for (let i = 0; i < n; i++) out[i] = r.str();
    return out;
  }
  /** @internal */
  static decode(r: ArchiveReader): G3VectorString {
    r.objectHeader('G3VectorString', 1);
    return new G3VectorString(G3VectorString.readItems(r));
  }
  /** @internal */
  encodeBody(w: ArchiveWriter): void {
    w.objectHeader('G3VectorString', 1);
    w.u64(this.values.length);
    for (const s of this.values) w.str(s);
  }
}

/** `G3VectorBool` (v1): `u64 n`, n × `u8`. */
export class G3VectorBool extends G3FrameObject {
  readonly className = 'G3VectorBool';
  constructor(readonly values: boolean[]) {
    super();
  }
  /** @internal */
  static decode(r: ArchiveReader): G3VectorBool {
    r.objectHeader('G3VectorBool', 1);
    const n = r.count(1, 'G3VectorBool');
    return new G3VectorBool(Array.from(r.raw(n), (b) => b !== 0));
  }
  /** @internal */
  encodeBody(w: ArchiveWriter): void {
    w.objectHeader('G3VectorBool', 1);
    w.u64(this.values.length);
    for (const b of this.values) w.u8(b ? 1 : 0);
  }
}

/** `G3VectorUnsignedChar` (v1): `vec<u8>`. */
export class G3VectorUnsignedChar extends G3FrameObject {
  readonly className = 'G3VectorUnsignedChar';
  constructor(readonly values: Uint8Array) {
    super();
  }
  /** @internal */
  static decode(r: ArchiveReader): G3VectorUnsignedChar {
    r.objectHeader('G3VectorUnsignedChar', 1);
    return new G3VectorUnsignedChar(r.bytesView('G3VectorUnsignedChar').slice());
  }
  /** @internal */
  encodeBody(w: ArchiveWriter): void {
    w.objectHeader('G3VectorUnsignedChar', 1);
    w.bytes(this.values);
  }
}

/**
 * `G3VectorTime` (v1): `u64 n`, then (if n > 0) `[G3Time v1]` once, then n × i64 ticks — each
 * element is a G3Time object whose version is written only once per archive.
 */
export class G3VectorTime extends G3FrameObject {
  readonly className = 'G3VectorTime';
  readonly values: BigInt64Array;
  constructor(values: BigInt64Array | ArrayLike<bigint | number>) {
    super();
    this.values = values instanceof BigInt64Array ? values : BigInt64Array.from(Array.from(values, (x) => BigInt(x)));
  }
  /** @internal Fields after the class header (also used by G3TimesampleMap/G3SuperTimestream). */
  static readItems(r: ArchiveReader): BigInt64Array {
    const n = r.count(8, 'G3VectorTime');
    if (n === 0) return new BigInt64Array(0);
    r.objectHeader('G3Time', 1);
    return r.typed(BigInt64Array, n);
  }
  /** @internal */
  static writeItems(w: ArchiveWriter, values: BigInt64Array): void {
    w.u64(values.length);
    if (values.length === 0) return;
    for (const t of values) checkInt64(t, 'G3Time');
    w.objectHeader('G3Time', 1);
    w.typed(values);
  }
  /** @internal */
  static decode(r: ArchiveReader): G3VectorTime {
    r.objectHeader('G3VectorTime', 1);
    return new G3VectorTime(G3VectorTime.readItems(r));
  }
  /** @internal */
  encodeBody(w: ArchiveWriter): void {
    w.objectHeader('G3VectorTime', 1);
    G3VectorTime.writeItems(w, this.values);
  }
}
