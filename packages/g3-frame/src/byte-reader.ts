/**
 * Bounds-checked little-endian reader over a byte range (g3-format.md §0). Every length or count
 * is checked against the bytes that remain *before* anything is allocated, so a corrupt length
 * field can never make the decoder allocate more than the input justifies.
 */
import { G3BadLengthError, G3TruncatedError } from './errors.js';
import { decodeUtf8 } from './utf8.js';

/** @internal */
export class ByteReader {
  readonly view: DataView;
  pos: number;
  readonly end: number;
  /** Added to positions in error offsets (offset of `bytes` within the stream/blob). */
  readonly base: number;

  constructor(readonly bytes: Uint8Array, base = 0, start = 0, end = bytes.length) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
    this.end = end;
    this.base = base;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /** Throw G3_ERR_TRUNCATED unless `n` bytes remain. */
  need(n: number): void {
    if (n > this.end - this.pos) throw new G3TruncatedError(n, this.end - this.pos, { offset: this.base + this.pos });
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++]!;
  }
  i8(): number {
    this.need(1);
    return this.view.getInt8(this.pos++);
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  i32(): number {
    this.need(4);
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }
  i64(): bigint {
    this.need(8);
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }
  /**
   * An i64 that often repeats (the start/stop of every timestream in a map): the same bigint
   * object is returned while the bytes in `slot` (0–3) repeat, so a 4096-channel map allocates
   * two bigints instead of 8192. Bigints are immutable, so sharing is safe.
   */
  i64Shared(slot: number): bigint {
    this.need(8);
    const lo = this.view.getUint32(this.pos, true);
    const hi = this.view.getUint32(this.pos + 4, true);
    this.pos += 8;
    const c = (this.i64Cache ??= []);
    const e = c[slot];
    if (e && e.lo === lo && e.hi === hi) return e.value;
    const value = BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
    c[slot] = { lo, hi, value };
    return value;
  }
  private i64Cache: Array<{ lo: number; hi: number; value: bigint }> | undefined;

  f64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /**
   * Read a u64 count of items of `itemSize` bytes each and check that many bytes can follow
   * (G3_ERR_BAD_LENGTH otherwise). Returns the count as a number.
   */
  count(itemSize: number, what: string): number {
    this.need(8);
    const at = this.pos;
    const lo = this.view.getUint32(at, true);
    const hi = this.view.getUint32(at + 4, true);
    this.pos += 8;
    const limit = Math.floor(this.remaining / Math.max(itemSize, 1));
    if (hi !== 0 || lo > limit) {
      const claimed = (BigInt(hi) << 32n) | BigInt(lo);
      throw new G3BadLengthError(what, claimed, limit, { offset: this.base + at });
    }
    return lo;
  }

  /** `bytes` = u64 length + raw bytes; returns a view (no copy). */
  bytesView(what = 'byte string'): Uint8Array {
    const n = this.count(1, what);
    const v = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /** `str` = u64 length + UTF-8 bytes. */
  str(): string {
    return decodeUtf8(this.bytesView('string'));
  }

  /** `n` raw bytes as a view. */
  raw(n: number): Uint8Array {
    this.need(n);
    const v = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  /**
   * Copy `count` elements into a typed array of `ctor` (8-byte aligned). Small arrays are carved
   * out of a shared arena buffer (one allocation for thousands of timestreams); the copies never
   * alias the input bytes, so mutating decoded data cannot corrupt a frame's raw bytes.
   */
  typed<T>(ctor: TypedCtor<T>, count: number): T {
    const n = count * ctor.BYTES_PER_ELEMENT;
    this.need(n);
    const src = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    if (n > ARENA_MAX_ITEM) {
      const own = new Uint8Array(Buffer.allocUnsafeSlow(n).buffer, 0, n);
      own.set(src);
      return new ctor(own.buffer, 0, count);
    }
    if (!this.arena || this.arenaPos + n > this.arena.length) {
      const size = Math.max(n, Math.min(this.remaining + n + 4096, ARENA_CHUNK));
      this.arena = new Uint8Array(Buffer.allocUnsafeSlow(size).buffer, 0, size);
      this.arenaPos = 0;
    }
    const off = this.arenaPos;
    this.arena.set(src, off);
    this.arenaPos = (off + n + 7) & ~7;
    return new ctor(this.arena.buffer, off, count);
  }

  private arena: Uint8Array<ArrayBuffer> | undefined;
  private arenaPos = 0;
}

/** A typed-array constructor (Float64Array, Int32Array, BigInt64Array, …). */
export interface TypedCtor<T> {
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/** Arrays larger than this get their own buffer. */
const ARENA_MAX_ITEM = 64 * 1024;
/** Arena allocation size (upper bound). */
const ARENA_CHUNK = 16 * 1024 * 1024;
