/** Growable little-endian byte writer used by the encoders (g3-format.md §0). */
import { encodeUtf8 } from './utf8.js';

/** @internal */
export class ByteWriter {
  buf: Uint8Array;
  view: DataView;
  pos = 0;

  constructor(initial = 256) {
    // Large buffers skip zero-filling: every byte up to `pos` is written before it is read.
    this.buf = initial > 4096 ? new Uint8Array(Buffer.allocUnsafeSlow(initial).buffer, 0, initial) : new Uint8Array(initial);
    this.view = new DataView(this.buf.buffer);
  }

  /**
   * Room for `n` more bytes. Grows to twice the capacity, or straight to exactly `pos + n` when a
   * caller announces a large write (so a size estimate allocates once, no doubling chain).
   */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const cap = Math.max(this.buf.length * 2, this.pos + n);
    const nb = new Uint8Array(Buffer.allocUnsafeSlow(cap).buffer, 0, cap);
    nb.set(this.buf.subarray(0, this.pos));
    this.buf = nb;
    this.view = new DataView(nb.buffer);
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v & 0xff;
  }
  i8(v: number): void {
    this.u8(v);
  }
  u32(v: number): void {
    this.ensure(4);
    this.view.setUint32(this.pos, v >>> 0, true);
    this.pos += 4;
  }
  i32(v: number): void {
    this.ensure(4);
    this.view.setInt32(this.pos, v, true);
    this.pos += 4;
  }
  u64(v: number | bigint): void {
    this.ensure(8);
    if (typeof v === 'number' && v <= 0xffffffff) {
      this.view.setUint32(this.pos, v, true);
      this.view.setUint32(this.pos + 4, 0, true);
    } else this.view.setBigUint64(this.pos, BigInt(v), true);
    this.pos += 8;
  }
  i64(v: bigint): void {
    this.ensure(8);
    this.view.setBigInt64(this.pos, v, true);
    this.pos += 8;
  }
  f64(v: number): void {
    this.ensure(8);
    this.view.setFloat64(this.pos, v, true);
    this.pos += 8;
  }
  raw(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }
  /** u64 length + bytes. */
  bytes(b: Uint8Array): void {
    this.u64(b.length);
    this.raw(b);
  }
  /** u64 length + UTF-8 bytes. */
  str(s: string): void {
    this.bytes(encodeUtf8(s));
  }
  /** Typed-array contents, raw little-endian (host is little-endian, checked at load). */
  typed(a: ArrayBufferView): void {
    this.raw(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  /** The written bytes (a view; copy if the writer is reused). */
  result(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}
