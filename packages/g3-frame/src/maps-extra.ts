/**
 * Less common containers of g3-format.md §3.2/§3.3, decoded for completeness (layouts partly
 * "source only" in the spec): G3VectorComplexDouble, G3MapVectorBool, G3MapVectorInt (v1, v2),
 * G3MapMapDouble, G3MapTime.
 */
import type { ArchiveReader, ArchiveWriter } from './archive.js';
import { readInts, readStoreBits, storeBitsFor, writeInts } from './int-width.js';
import { G3MapDouble, sortedKeys } from './maps.js';
import { G3FrameObject } from './object.js';
import { checkInt64 } from './scalars.js';

/** `G3VectorComplexDouble` (v1): `u64 n`, n × (re, im); `values` interleaved re/im. */
export class G3VectorComplexDouble extends G3FrameObject {
  readonly className = 'G3VectorComplexDouble';
  constructor(readonly values: Float64Array) {
    super();
  }
  /** @internal */
  static decode(r: ArchiveReader): G3VectorComplexDouble {
    r.objectHeader('G3VectorComplexDouble', 1);
    return new G3VectorComplexDouble(r.typed(Float64Array, r.count(16, 'G3VectorComplexDouble') * 2));
  }
  /** @internal */
  encodeBody(w: ArchiveWriter): void {
    w.objectHeader('G3VectorComplexDouble', 1);
    w.u64(this.values.length / 2);
    w.typed(this.values);
  }
}

/** `G3MapVectorBool` (v1): string → booleans (`u64 m`, m × u8). */
export class G3MapVectorBool extends G3FrameObject {
  readonly className = 'G3MapVectorBool';
  constructor(readonly value: Map<string, boolean[]>) {
    super();
  }
  /** @internal */
  static decode(r: ArchiveReader): G3MapVectorBool {
    r.objectHeader('G3MapVectorBool', 1);
    const n = r.count(16, 'G3MapVectorBool');
    const out = new Map<string, boolean[]>();
    for (let i = 0; i < n; i++) {
      const k = r.str();
      out.set(k, Array.from(r.raw(r.count(1, 'vector')), (b) => b !== 0));
    }
    return new G3MapVectorBool(out);
  }
  /** @internal */
  encodeBody(w: ArchiveWriter): void {
    w.objectHeader('G3MapVectorBool', 1);
    w.u64(this.value.size);
    for (const k of sortedKeys(this.value.keys())) {
      w.str(k);
      const v = this.value.get(k)!;
      w.u64(v.length);
      for (const b of v) w.u8(b ? 1 : 0);
    }
  }
}

/**
 * `G3MapVectorInt`: v2 (since 2024-02) `u32 len`, len × (`str`, `i32 store_bits`,
 * `vec<int{bits}>`); v1 `u64 n`, n × (`str`, `vec<i32>`). Written as v2 (layout "source only").
 */
export class G3MapVectorInt extends G3FrameObject {
  readonly className = 'G3MapVectorInt';
  constructor(readonly value: Map<string, BigInt64Array>) {
    super();
  }
  /** @internal */
  static decode(r: ArchiveReader): G3MapVectorInt {
    const v = r.objectHeader('G3MapVectorInt', 2);
    const n = v >= 2 ? r.u32() : r.count(16, 'G3MapVectorInt');
    const out = new Map<string, BigInt64Array>();
    for (let i = 0; i < n; i++) {
      const k = r.str();
      const bits = v >= 2 ? readStoreBits(r) : 32;
      out.set(k, readInts(r, r.count(bits / 8, 'vector'), bits));
    }
    return new G3MapVectorInt(out);
  }
  /** @internal */
  encodeBody(w: ArchiveWriter): void {
    w.objectHeader('G3MapVectorInt', 2);
    w.u32(this.value.size);
    for (const k of sortedKeys(this.value.keys())) {
      const v = this.value.get(k)!;
      const bits = storeBitsFor(v);
      w.str(k);
      w.i32(bits);
      w.u64(v.length);
      writeInts(w, v, bits);
    }
  }
}

/** `G3MapMapDouble` (v1): string → G3MapDouble objects (version once, no base). */
export class G3MapMapDouble extends G3FrameObject {
  readonly className = 'G3MapMapDouble';
  constructor(readonly value: Map<string, Map<string, number>>) {
    super();
  }
  /** @internal */
  static decode(r: ArchiveReader): G3MapMapDouble {
    r.objectHeader('G3MapMapDouble', 1);
    const n = r.count(16, 'G3MapMapDouble');
    const out = new Map<string, Map<string, number>>();
    for (let i = 0; i < n; i++) {
      const k = r.str();
      out.set(k, G3MapDouble.decode(r).value);
    }
    return new G3MapMapDouble(out);
  }
  /** @internal */
  encodeBody(w: ArchiveWriter): void {
    w.objectHeader('G3MapMapDouble', 1);
    w.u64(this.value.size);
    for (const k of sortedKeys(this.value.keys())) {
      w.str(k);
      new G3MapDouble(this.value.get(k)!).encodeBody(w);
    }
  }
}

/** `G3MapTime` (v1, 2025-06+): string → G3Time ticks (G3Time version once). */
export class G3MapTime extends G3FrameObject {
  readonly className = 'G3MapTime';
  constructor(readonly value: Map<string, bigint>) {
    super();
  }
  /** @internal */
  static decode(r: ArchiveReader): G3MapTime {
    r.objectHeader('G3MapTime', 1);
    const n = r.count(16, 'G3MapTime');
    const out = new Map<string, bigint>();
    for (let i = 0; i < n; i++) {
      const k = r.str();
      r.objectHeader('G3Time', 1);
      out.set(k, r.i64());
    }
    return new G3MapTime(out);
  }
  /** @internal */
  encodeBody(w: ArchiveWriter): void {
    w.objectHeader('G3MapTime', 1);
    w.u64(this.value.size);
    for (const k of sortedKeys(this.value.keys())) {
      const t = this.value.get(k)!;
      checkInt64(t, 'G3Time');
      w.str(k);
      w.objectHeader('G3Time', 1);
      w.i64(t);
    }
  }
}
