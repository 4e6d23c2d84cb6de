/**
 * MessagePack reader for WAMP values. Keeps the float/int distinction (see msgpack-encode.ts for
 * why no library is used): float32/float64 decode as numbers, or as {@link WampFloat} when
 * integral in lossless mode; ints beyond ±(2^53-1) decode as `bigint`; bin as `Uint8Array`.
 * Extension types have no meaning in WAMP and are rejected.
 */
import { ByteReader } from './byte-reader.js';
import { decodeError } from './errors.js';
import { MAX_DEPTH } from './json-stringify.js';
import { mapKey, setKey } from './json-parse.js';
import type { DecodeOptions } from './options.js';

/**
 * Decodes one MessagePack value that spans all of `data`.
 * @throws {WampCodecError} `WAMP_ERR_DECODE` on truncated/invalid input, trailing bytes, non-string
 * map keys (numbers are stringified), ext types or nesting over 1000 levels.
 */
export function decodeMsgpack(data: Uint8Array, opts?: DecodeOptions): unknown {
  const r = new ByteReader(data, opts?.lossless === true);
  const v = read(r, 0);
  if (r.pos !== r.buf.length) throw decodeError('unexpected data after msgpack value', r.pos);
  return v;
}

function read(r: ByteReader, depth: number): unknown {
  const b = r.u8();
  if (b < 0x80) return b;
  if (b >= 0xe0) return b - 0x100;
  if (b >= 0xa0 && b < 0xc0) return r.utf8(b & 0x1f);
  if (b >= 0x90 && b < 0xa0) return readArray(r, b & 0x0f, depth);
  if (b < 0x90) return readMap(r, b & 0x0f, depth);
  switch (b) {
    case 0xc0: return null;
    case 0xc2: return false;
    case 0xc3: return true;
    case 0xc4: return r.bytes(r.u8());
    case 0xc5: return r.bytes(r.u16());
    case 0xc6: return r.bytes(r.u32());
    case 0xca: return r.float(r.f32());
    case 0xcb: return r.float(r.f64());
    case 0xcc: return r.u8();
    case 0xcd: return r.u16();
    case 0xce: return r.u32();
    case 0xcf: return r.u64();
    case 0xd0: return r.i8();
    case 0xd1: return r.i16();
    case 0xd2: return r.i32();
    case 0xd3: return r.i64();
    case 0xd9: return r.utf8(r.u8());
    case 0xda: return r.utf8(r.u16());
    case 0xdb: return r.utf8(r.u32());
    case 0xdc: return readArray(r, r.u16(), depth);
    case 0xdd: return readArray(r, r.u32(), depth);
    case 0xde: return readMap(r, r.u16(), depth);
    case 0xdf: return readMap(r, r.u32(), depth);
    default:
      throw decodeError(`unsupported msgpack type byte 0x${b.toString(16)}`, r.pos - 1);
  }
}

function readArray(r: ByteReader, n: number, depth: number): unknown[] {
  if (depth >= MAX_DEPTH) throw decodeError(`msgpack nested deeper than ${MAX_DEPTH}`, r.pos);
  // Each element takes at least one byte: reject impossible lengths before allocating.
  r.need(n);
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) out[i] = read(r, depth + 1);
  return out;
}

function readMap(r: ByteReader, n: number, depth: number): Record<string, unknown> {
  if (depth >= MAX_DEPTH) throw decodeError(`msgpack nested deeper than ${MAX_DEPTH}`, r.pos);
  r.need(2 * n);
  const out: Record<string, unknown> = {};
  for (let i = 0; i < n; i++) {
    const at = r.pos;
    setKey(out, mapKey(read(r, depth + 1), at), read(r, depth + 1));
  }
  return out;
}
