/**
 * MessagePack writer for WAMP values (WAMP spec "MessagePack" serialization).
 *
 * Written here rather than taken from `@msgpack/msgpack`/`msgpackr`: those decoders return a
 * plain `number` for both float64 and int, so a router could not keep `5.0` a float when it
 * re-encodes (ocs-protocol.md 8.1), and their encoders write integral numbers as ints with no
 * per-value override. The value model here is small (nil, bool, int, float64, str, bin, array, map).
 */
import { ByteWriter } from './byte-writer.js';
import { encodeError } from './errors.js';
import { MAX_DEPTH } from './json-stringify.js';
import { WampFloat } from './wamp-float.js';

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);

/**
 * Encodes `value` as MessagePack. Integral safe numbers and `bigint` are ints (`bigint` up to
 * uint64/int64); other numbers and {@link WampFloat} are float64; `Uint8Array` is bin.
 * @throws {WampCodecError} `WAMP_ERR_ENCODE` for unsupported values or a bigint beyond 64 bits.
 */
export function encodeMsgpack(value: unknown): Uint8Array {
  const w = new ByteWriter();
  write(w, value, 0);
  return w.result();
}

function write(w: ByteWriter, v: unknown, depth: number): void {
  switch (typeof v) {
    case 'string':
      return writeStr(w, v);
    case 'number':
      return Number.isSafeInteger(v) && !Object.is(v, -0) ? writeInt(w, v) : w.u8f64(0xcb, v);
    case 'boolean':
      return w.u8(v ? 0xc3 : 0xc2);
    case 'bigint':
      return writeBigInt(w, v);
    case 'undefined':
      return w.u8(0xc0);
    case 'object':
      return writeObject(w, v, depth);
    default:
      throw encodeError(`cannot encode a ${typeof v} as msgpack`);
  }
}

function writeInt(w: ByteWriter, v: number): void {
  if (v >= 0) {
    if (v < 0x80) w.u8(v);
    else if (v < 0x100) w.u8u8(0xcc, v);
    else if (v < 0x10000) w.u8u16(0xcd, v);
    else if (v < 0x100000000) w.u8u32(0xce, v);
    else w.u8u64(0xcf, BigInt(v));
  } else {
    if (v >= -32) w.u8(v & 0xff);
    else if (v >= -0x80) w.u8u8(0xd0, v & 0xff);
    else if (v >= -0x8000) w.u8u16(0xd1, v & 0xffff);
    else if (v >= -0x80000000) w.u8u32(0xd2, v >>> 0);
    else w.u8i64(0xd3, BigInt(v));
  }
}

function writeBigInt(w: ByteWriter, v: bigint): void {
  if (v >= -0x80000000n && v < 0x100000000n) return writeInt(w, Number(v));
  if (v > 0n && v <= U64_MAX) return w.u8u64(0xcf, v);
  if (v < 0n && v >= I64_MIN) return w.u8i64(0xd3, v);
  throw encodeError(`bigint ${v} does not fit in 64 bits (msgpack)`);
}

function writeStr(w: ByteWriter, s: string): void {
  w.utf8(s, (n) => {
    if (n < 32) w.u8(0xa0 | n);
    else if (n < 0x100) w.u8u8(0xd9, n);
    else if (n < 0x10000) w.u8u16(0xda, n);
    else w.u8u32(0xdb, n);
  });
}

function writeObject(w: ByteWriter, v: object | null, depth: number): void {
  if (v === null) return w.u8(0xc0);
  if (depth >= MAX_DEPTH) throw encodeError(`value nested deeper than ${MAX_DEPTH} (cycle?)`);
  if (Array.isArray(v)) return writeArray(w, v, depth + 1);
  if (v instanceof WampFloat) return w.u8f64(0xcb, v.value);
  if (v instanceof Uint8Array) return writeBin(w, v);
  if (v instanceof Map) return writeMap(w, [...v.entries()], depth + 1);
  const toJSON = (v as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return write(w, toJSON.call(v), depth + 1);
  return writePlainObject(w, v as Record<string, unknown>, depth + 1);
}

function writeArray(w: ByteWriter, a: readonly unknown[], depth: number): void {
  const n = a.length;
  if (n < 16) w.u8(0x90 | n);
  else if (n < 0x10000) w.u8u16(0xdc, n);
  else w.u8u32(0xdd, n);
  for (let i = 0; i < n; i++) write(w, a[i], depth);
}

function skipped(val: unknown): boolean {
  return val === undefined || typeof val === 'function' || typeof val === 'symbol';
}

function writeMapHeader(w: ByteWriter, n: number): void {
  if (n < 16) w.u8(0x80 | n);
  else if (n < 0x10000) w.u8u16(0xde, n);
  else w.u8u32(0xdf, n);
}

function writeMap(w: ByteWriter, entries: [unknown, unknown][], depth: number): void {
  const kept = entries.filter(([, val]) => !skipped(val));
  writeMapHeader(w, kept.length);
  for (const [k, val] of kept) {
    writeStr(w, String(k));
    write(w, val, depth);
  }
}

/** Plain objects without building an entries array (the hot path for WAMP dicts). */
function writePlainObject(w: ByteWriter, o: Record<string, unknown>, depth: number): void {
  let n = 0;
  for (const k in o) if (Object.prototype.hasOwnProperty.call(o, k) && !skipped(o[k])) n++;
  writeMapHeader(w, n);
  for (const k in o) {
    if (!Object.prototype.hasOwnProperty.call(o, k)) continue;
    const val = o[k];
    if (skipped(val)) continue;
    writeStr(w, k);
    write(w, val, depth);
  }
}

function writeBin(w: ByteWriter, b: Uint8Array): void {
  const n = b.length;
  if (n < 0x100) w.u8u8(0xc4, n);
  else if (n < 0x10000) w.u8u16(0xc5, n);
  else w.u8u32(0xc6, n);
  w.bytes(b);
}
