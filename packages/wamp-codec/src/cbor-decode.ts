/**
 * CBOR (RFC 8949) reader for WAMP values. Keeps the float/int distinction (see cbor-encode.ts for
 * why no library is used): half/single/double floats decode as numbers, or as
 * {@link WampFloat} when integral in lossless mode; ints beyond ±(2^53-1) decode as `bigint`
 * (also bignum tags 2/3); byte strings as `Uint8Array`; indefinite lengths are accepted. Other
 * tags are skipped (the tagged value is returned); `undefined` and other simple values decode as null.
 */
import { ByteReader } from './byte-reader.js';
import { decodeError } from './errors.js';
import { MAX_DEPTH } from './json-stringify.js';
import { mapKey, setKey } from './json-parse.js';
import type { DecodeOptions } from './options.js';

const BREAK = Symbol('break');

/**
 * Decodes one CBOR data item that spans all of `data`.
 * @throws {WampCodecError} `WAMP_ERR_DECODE` on truncated/invalid input, trailing bytes,
 * non-text/int map keys or nesting over 1000 levels.
 */
export function decodeCbor(data: Uint8Array, opts?: DecodeOptions): unknown {
  const r = new ByteReader(data, opts?.lossless === true);
  const v = read(r, 0);
  if (v === BREAK) throw decodeError('unexpected CBOR break', r.pos - 1);
  if (r.pos !== r.buf.length) throw decodeError('unexpected data after CBOR value', r.pos);
  return v;
}

/** The argument of an initial byte: a number (safe) or bigint, or -1 for indefinite length. */
function arg(r: ByteReader, info: number): number | bigint {
  if (info < 24) return info;
  switch (info) {
    case 24: return r.u8();
    case 25: return r.u16();
    case 26: return r.u32();
    case 27: return r.u64();
    case 31: return -1;
    default: throw decodeError('invalid CBOR additional information', r.pos - 1);
  }
}

function length(r: ByteReader, info: number): number {
  const n = arg(r, info);
  if (typeof n === 'bigint') throw decodeError('CBOR length too large', r.pos);
  return n;
}

function read(r: ByteReader, depth: number): unknown {
  const b = r.u8();
  const major = b >> 5;
  const info = b & 0x1f;
  switch (major) {
    case 0: {
      const n = arg(r, info);
      if (n === -1) throw decodeError('indefinite length on an integer', r.pos - 1);
      return n;
    }
    case 1: return negative(r, info);
    case 2: return info === 31 ? chunks(r, 2, depth) : r.bytes(length(r, info));
    case 3: return info === 31 ? chunks(r, 3, depth) : r.utf8(length(r, info));
    case 4: return readArray(r, length(r, info), depth);
    case 5: return readMap(r, length(r, info), depth);
    case 6: return readTag(r, arg(r, info), depth);
    default: return simple(r, info);
  }
}

function negative(r: ByteReader, info: number): number | bigint {
  const n = arg(r, info);
  if (n === -1) throw decodeError('indefinite length on an integer', r.pos - 1);
  if (typeof n === 'number') return -1 - n;
  const v = -1n - n;
  return v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v;
}

function simple(r: ByteReader, info: number): unknown {
  switch (info) {
    case 20: return false;
    case 21: return true;
    case 22: case 23: return null;
    case 25: return r.float(half(r.u16()));
    case 26: return r.float(r.f32());
    case 27: return r.float(r.f64());
    case 31: return BREAK;
    case 24: r.u8(); return null;
    default:
      if (info < 20) return null;
      throw decodeError('invalid CBOR simple value', r.pos - 1);
  }
}

/** IEEE-754 half precision to double. */
function half(h: number): number {
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  const sign = h & 0x8000 ? -1 : 1;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant === 0 ? sign * Infinity : NaN;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

function chunks(r: ByteReader, major: number, depth: number): Uint8Array | string {
  const parts: unknown[] = [];
  for (;;) {
    const at = r.pos;
    const c = read(r, depth + 1);
    if (c === BREAK) break;
    if (major === 2 ? !(c instanceof Uint8Array) : typeof c !== 'string') throw decodeError('bad chunk in indefinite CBOR string', at);
    parts.push(c);
  }
  return major === 2 ? new Uint8Array(Buffer.concat(parts as Uint8Array[])) : (parts as string[]).join('');
}

function readArray(r: ByteReader, n: number, depth: number): unknown[] {
  if (depth >= MAX_DEPTH) throw decodeError(`CBOR nested deeper than ${MAX_DEPTH}`, r.pos);
  const out: unknown[] = [];
  if (n === -1) {
    for (let v = read(r, depth + 1); v !== BREAK; v = read(r, depth + 1)) out.push(v);
    return out;
  }
  r.need(n);
  for (let i = 0; i < n; i++) out.push(item(r, depth));
  return out;
}

function readMap(r: ByteReader, n: number, depth: number): Record<string, unknown> {
  if (depth >= MAX_DEPTH) throw decodeError(`CBOR nested deeper than ${MAX_DEPTH}`, r.pos);
  const out: Record<string, unknown> = {};
  if (n !== -1) r.need(2 * n);
  for (let i = 0; n === -1 || i < n; i++) {
    const at = r.pos;
    const k = read(r, depth + 1);
    if (k === BREAK && n === -1) break;
    setKey(out, mapKey(k, at), item(r, depth));
  }
  return out;
}

/** A value inside a definite container: a break there is malformed. */
function item(r: ByteReader, depth: number): unknown {
  const v = read(r, depth + 1);
  if (v === BREAK) throw decodeError('unexpected CBOR break', r.pos - 1);
  return v;
}

function readTag(r: ByteReader, tag: number | bigint, depth: number): unknown {
  const v = item(r, depth);
  if ((tag === 2 || tag === 3) && v instanceof Uint8Array) {
    let n = 0n;
    for (const byte of v) n = (n << 8n) | BigInt(byte);
    const big = tag === 2 ? n : -1n - n;
    return Number.isSafeInteger(Number(big)) && BigInt(Number(big)) === big ? Number(big) : big;
  }
  return v;
}
