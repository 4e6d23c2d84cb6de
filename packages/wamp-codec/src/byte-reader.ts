/**
 * @internal Bounds-checked big-endian reader shared by the msgpack and CBOR decoders.
 */
import { asBuffer } from './byte-writer.js';
import { decodeError } from './errors.js';
import { WampFloat } from './wamp-float.js';

export class ByteReader {
  readonly buf: Buffer;
  readonly view: DataView;
  pos = 0;

  constructor(
    data: Uint8Array,
    readonly lossless: boolean,
  ) {
    this.buf = asBuffer(data);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  need(n: number): void {
    if (this.pos + n > this.buf.length) throw decodeError('unexpected end of input', this.pos);
  }

  u8(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos);
    this.pos += 2;
    return v;
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos);
    this.pos += 4;
    return v;
  }

  i8(): number {
    this.need(1);
    return this.view.getInt8(this.pos++);
  }

  i16(): number {
    this.need(2);
    const v = this.view.getInt16(this.pos);
    this.pos += 2;
    return v;
  }

  i32(): number {
    this.need(4);
    const v = this.view.getInt32(this.pos);
    this.pos += 4;
    return v;
  }

  /** uint64 as a number when safe, else bigint. */
  u64(): number | bigint {
    this.need(8);
    const v = this.view.getBigUint64(this.pos);
    this.pos += 8;
    return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }

  /** int64 as a number when safe, else bigint. */
  i64(): number | bigint {
    this.need(8);
    const v = this.view.getBigInt64(this.pos);
    this.pos += 8;
    return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;
  }

  f32(): number {
    this.need(4);
    const v = this.view.getFloat32(this.pos);
    this.pos += 4;
    return v;
  }

  f64(): number {
    this.need(8);
    const v = this.view.getFloat64(this.pos);
    this.pos += 8;
    return v;
  }

  /** UTF-8 text of `n` bytes; invalid UTF-8 is an error (WAMP strings are Unicode). */
  utf8(n: number): string {
    this.need(n);
    const start = this.pos;
    this.pos += n;
    if (n < 32) {
      let s = '';
      for (let i = start; i < start + n; i++) {
        const c = this.buf[i]!;
        if (c > 0x7f) return this.utf8Slow(start, n);
        s += String.fromCharCode(c);
      }
      return s;
    }
    return this.utf8Slow(start, n);
  }

  private utf8Slow(start: number, n: number): string {
    try {
      return FATAL_UTF8.decode(this.buf.subarray(start, start + n));
    } catch (err) {
      throw decodeError('invalid UTF-8 in string', start, err);
    }
  }

  /** A copy of the next `n` bytes. */
  bytes(n: number): Uint8Array {
    this.need(n);
    const out = new Uint8Array(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return out;
  }

  /** Float decoded at `value`: a WampFloat in lossless mode when integral. */
  float(value: number): number | WampFloat {
    return this.lossless && Number.isInteger(value) ? new WampFloat(value) : value;
  }
}

const FATAL_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

