/**
 * `G3Map<std::string, V>` classes (g3-format.md §3.3). On disk they are `std::map`s, so writers
 * emit keys in ascending bytewise (memcmp) order; readers keep file order.
 */
import type { ArchiveReader, ArchiveWriter } from './archive.js';
import { readInts, readStoreBits, storeBitsFor, writeInts } from './int-width.js';
import { G3FrameObject } from './object.js';
import { encodeUtf8 } from './utf8.js';

/** Keys of `m` in bytewise UTF-8 order (std::map order). */
export function sortedKeys(keys: Iterable<string>): string[] {
  return [...keys]
    .map((k) => ({ k, b: Buffer.from(encodeUtf8(k)) }))
    .sort((a, b) => Buffer.compare(a.b, b.b))
    .map((e) => e.k);
}

function toMap<V>(m: Map<string, V> | Record<string, V>): Map<string, V> {
  return m instanceof Map ? m : new Map(Object.entries(m));
}

/** Read `u64 n` entries of (`str` key, value). */
function readEntries<V>(r: ArchiveReader, what: string, minItem: number, read: () => V): Map<string, V> {
  const n = r.count(8 + minItem, what);
  const out = new Map<string, V>();
  for (let i = 0; i < n; i++) {
    const k = r.str();
    out.set(k, read());
  }
  return out;
}

function writeEntries<V>(w: ArchiveWriter, m: Map<string, V>, write: (v: V) => void): void {
  w.u64(m.size);
  for (const k of sortedKeys(m.keys())) {
    w.str(k);
    write(m.get(k) as V);
  }
}

/** `G3MapDouble` (v1): string → f64. */
export class G3MapDouble extends G3FrameObject {
  readonly className = 'G3MapDouble';
  readonly value: Map<string, number>;
  constructor(value: Map<string, number> | Record<string, number>) {
    super();
    this.value = toMap(value);
  }
  /** @internal */
  static decode(r: ArchiveReader): G3MapDouble {
    r.objectHeader('G3MapDouble', 1);
    return new G3MapDouble(readEntries(r, 'G3MapDouble', 8, () => r.f64()));
  }
  /** @internal */
  encodeBody(w: ArchiveWriter): void {
    w.objectHeader('G3MapDouble', 1);
    writeEntries(w, this.value, (v) => w.f64(v));
  }
}

/** `G3MapString` (v1): string → string. */
export class G3MapString extends G3FrameObject {
  readonly className = 'G3MapString';
  readonly value: Map<string, string>;
  constructor(value: Map<string, string> | Record<string, string>) {
    super();
    this.value = toMap(value);
  }
  /** @internal */
  static decode(r: ArchiveReader): G3MapString {
    r.objectHeader('G3MapString', 1);
    return new G3MapString(readEntries(r, 'G3MapString', 8, () => r.str()));
  }
  /** @internal */
  encodeBody(w: ArchiveWriter): void {
    w.objectHeader('G3MapString', 1);
    writeEntries(w, this.value, (v) => w.str(v));
  }
}

/**
 * `G3MapInt`: v2 (since 2024-02) `i32 store_bits` before `u64 n`, values narrowed; v1 i32 values.
 * Values are exact 64-bit integers; writing uses v2.
 */
export class G3MapInt extends G3FrameObject {
  readonly className = 'G3MapInt';
  readonly value: Map<string, bigint>;
  constructor(value: Map<string, bigint | number> | Record<string, bigint | number>) {
    super();
    this.value = new Map([...toMap(value)].map(([k, v]) => [k, BigInt(v)]));
  }
  /** @internal */
  static decode(r: ArchiveReader): G3MapInt {
    const v = r.objectHeader('G3MapInt', 2);
    const bits = v >= 2 ? readStoreBits(r) : 32;
    return new G3MapInt(readEntries(r, 'G3MapInt', bits / 8, () => readInts(r, 1, bits)[0]!));
  }
  /** @internal */
  encodeBody(w: ArchiveWriter): void {
    w.objectHeader('G3MapInt', 2);
    const bits = storeBitsFor(this.value.values());
    w.i32(bits);
    writeEntries(w, this.value, (x) => writeInts(w, [x], bits));
  }
}

/** `G3MapVectorDouble` (v1): string → `vec<f64>`. */
export class G3MapVectorDouble extends G3FrameObject {
  readonly className = 'G3MapVectorDouble';
  readonly value: Map<string, Float64Array>;
  constructor(value: Map<string, Float64Array> | Record<string, Float64Array>) {
    super();
    this.value = toMap(value);
  }
  /** @internal */
  static decode(r: ArchiveReader): G3MapVectorDouble {
    r.objectHeader('G3MapVectorDouble', 1);
    return new G3MapVectorDouble(
      readEntries(r, 'G3MapVectorDouble', 8, () => r.typed(Float64Array, r.count(8, 'vector'))),
    );
  }
  /** @internal */
  encodeBody(w: ArchiveWriter): void {
    w.objectHeader('G3MapVectorDouble', 1);
    writeEntries(w, this.value, (v) => {
      w.u64(v.length);
      w.typed(v);
    });
  }
}

/** `G3MapVectorString` (v1): string → vector of strings. */
export class G3MapVectorString extends G3FrameObject {
  readonly className = 'G3MapVectorString';
  readonly value: Map<string, string[]>;
  constructor(value: Map<string, string[]> | Record<string, string[]>) {
    super();
    this.value = toMap(value);
  }
  /** @internal */
  static decode(r: ArchiveReader): G3MapVectorString {
    r.objectHeader('G3MapVectorString', 1);
    return new G3MapVectorString(
      readEntries(r, 'G3MapVectorString', 8, () => {
        const n = r.count(8, 'vector');
        return Array.from({ length: n }, () => r.str());
      }),
    );
  }
  /** @internal */
  encodeBody(w: ArchiveWriter): void {
    w.objectHeader('G3MapVectorString', 1);
    writeEntries(w, this.value, (v) => {
      w.u64(v.length);
      for (const s of v) w.str(s);
    });
  }
}
