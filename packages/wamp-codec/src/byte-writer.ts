/**
 * @internal Growable byte buffer shared by the msgpack and CBOR encoders.
 */
export class ByteWriter {
  buf: Buffer;
  view: DataView;
  pos = 0;

  constructor(initial = 256) {
    this.buf = Buffer.allocUnsafe(initial);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }

  u8(v: number): void {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }

  u8u8(a: number, b: number): void {
    this.ensure(2);
    this.buf[this.pos++] = a;
    this.buf[this.pos++] = b;
  }

  u8u16(a: number, v: number): void {
    this.ensure(3);
    this.buf[this.pos++] = a;
    this.view.setUint16(this.pos, v);
    this.pos += 2;
  }

  u8u32(a: number, v: number): void {
    this.ensure(5);
    this.buf[this.pos++] = a;
    this.view.setUint32(this.pos, v);
    this.pos += 4;
  }

  u8u64(a: number, v: bigint): void {
    this.ensure(9);
    this.buf[this.pos++] = a;
    this.view.setBigUint64(this.pos, v);
    this.pos += 8;
  }

  u8i64(a: number, v: bigint): void {
    this.ensure(9);
    this.buf[this.pos++] = a;
    this.view.setBigInt64(this.pos, v);
    this.pos += 8;
  }

  u8f64(a: number, v: number): void {
    this.ensure(9);
    this.buf[this.pos++] = a;
    this.view.setFloat64(this.pos, v);
    this.pos += 8;
  }

  bytes(b: Uint8Array): void {
    this.ensure(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  /**
   * Writes `s` as UTF-8 after a length header produced by `header(byteLength)`. ASCII strings
   * (the common case for URIs and keys) are written in one pass without measuring first.
   */
  utf8(s: string, header: (byteLength: number) => void): void {
    const n = s.length;
    if (n < 64) {
      let ascii = true;
      for (let i = 0; i < n; i++) if (s.charCodeAt(i) > 0x7f) { ascii = false; break; }
      if (ascii) {
        header(n);
        this.ensure(n);
        for (let i = 0; i < n; i++) this.buf[this.pos + i] = s.charCodeAt(i);
        this.pos += n;
        return;
      }
    }
    const len = Buffer.byteLength(s, 'utf8');
    header(len);
    this.ensure(len);
    this.pos += this.buf.write(s, this.pos, len, 'utf8');
  }

  /** The written bytes (a view on the writer's buffer; the writer must not be reused). */
  result(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }
}

/** @internal A Buffer view on `data` without copying. */
export function asBuffer(data: Uint8Array): Buffer {
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}
