/**
 * CBOR (RFC 8949) writer for WAMP values (WAMP spec "CBOR" serialization).
 *
 * Written here rather than taken from `cbor-x`/`cbor`: their decoders return a plain `number`
 * for both major type 0/1 ints and major type 7 floats, so a router could not keep `5.0` a float
 * when it re-encodes (ocs-protocol.md 8.1). Floats are always written as float64 (as Python's
 * cbor2 does by default); maps use definite lengths and text keys.
 */
import { ByteWriter } from './byte-writer.js';
import { encodeError } from './errors.js';
import { MAX_DEPTH } from './json-stringify.js';
import { WampFloat } from './wamp-float.js';

const U64_MAX = (1n << 64n) - 1n;

/**
 * Encodes `value` as CBOR. Integral safe numbers and `bigint` (within ±(2^64-1)) are ints; other
 * numbers and {@link WampFloat} are float64; `Uint8Array` is a byte string.
 * @throws {WampCodecError} `WAMP_ERR_ENCODE` for unsupported values or a bigint beyond 64 bits.
 */
export function encodeCbor(value: unknown): Uint8Array {
  const w = new ByteWriter();
  write(w, value, 0);
  return w.result();
}

/** Major type `major` (0..7, pre-shifted by the caller) with argument `n` (0 <= n < 2^53). */
function head(w: ByteWriter, major: number, n: number): void {
  if (n < 24) w.u8(major | n);
  else if (n < 0x100) w.u8u8(major | 24, n);
  else if (n < 0x10000) w.u8u16(major | 25, n);
  else if (n < 0x100000000) w.u8u32(major | 26, n);
  else w.u8u64(major | 27, BigInt(n));
}

function write(w: ByteWriter, v: unknown, depth: number): void {
  switch (typeof v) {
    case 'string':
      return w.utf8(v, (n) => head(w, 0x60, n));
    case 'number':
      if (!Number.isSafeInteger(v) || Object.is(v, -0)) return w.u8f64(0xfb, v);
      return v >= 0 ? head(w, 0x00, v) : head(w, 0x20, -1 - v);
    case 'boolean':
      return w.u8(v ? 0xf5 : 0xf4);
    case 'bigint':
      return writeBigInt(w, v);
    case 'undefined':
      return w.u8(0xf6);
    case 'object':
      return writeObject(w, v, depth);
    default:
      throw encodeError(`cannot encode a ${typeof v} as CBOR`);
  }
}

function writeBigInt(w: ByteWriter, v: bigint): void {
  const n = v >= 0n ? v : -1n - v;
  if (n > U64_MAX) throw encodeError(`bigint ${v} does not fit in 64 bits (CBOR)`);
  const major = v >= 0n ? 0x00 : 0x20;
  if (n <= BigInt(Number.MAX_SAFE_INTEGER)) head(w, major, Number(n));
  else w.u8u64(major | 27, n);
}

function writeObject(w: ByteWriter, v: object | null, depth: number): void {
  if (v === null) return w.u8(0xf6);
  if (depth >= MAX_DEPTH) throw encodeError(`value nested deeper than ${MAX_DEPTH} (cycle?)`);
  if (Array.isArray(v)) {
    head(w, 0x80, v.length);
    for (let i = 0; i < v.length; i++) write(w, v[i], depth + 1);
    return;
  }
  if (v instanceof WampFloat) return w.u8f64(0xfb, v.value);
  if (v instanceof Uint8Array) {
    head(w, 0x40, v.length);
    return w.bytes(v);
  }
  if (v instanceof Map) return writeMap(w, [...v.entries()], depth + 1);
  const toJSON = (v as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return write(w, toJSON.call(v), depth + 1);
  return writePlainObject(w, v as Record<string, unknown>, depth + 1);
}

function skipped(val: unknown): boolean {
  return val === undefined || typeof val === 'function' || typeof val === 'symbol';
}

function writeKey(w: ByteWriter, key: string): void {
  w.utf8(key, (n) => head(w, 0x60, n));
}

function writeMap(w: ByteWriter, entries: [unknown, unknown][], depth: number): void {
  const kept = entries.filter(([, val]) => !skipped(val));
  head(w, 0xa0, kept.length);
  for (const [k, val] of kept) {
    writeKey(w, String(k));
    write(w, val, depth);
  }
}

/** Plain objects without building an entries array (the hot path for WAMP dicts). */
function writePlainObject(w: ByteWriter, o: Record<string, unknown>, depth: number): void {
  let n = 0;
  for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k) && !skipped(o[k])) n++;
  head(w, 0xa0, n);
  for (const k in o) {
    if (!Object.prototype.hasOwnProperty.call(o, k)) continue;
    const val = o[k];
    if (skipped(val)) continue;
    writeKey(w, k);
    write(w, val, depth);
  }
}
