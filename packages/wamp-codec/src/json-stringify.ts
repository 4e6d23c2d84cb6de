/**
 * WAMP JSON writer with float fidelity (ocs-protocol.md 8.1, WAMP spec "JSON" serialization).
 *
 * Differences from `JSON.stringify`, all needed on the wire:
 * - integral floats ({@link WampFloat}, `-0`, integral doubles beyond 2^53) are written `2.0`;
 * - NaN/Infinity are the bare tokens Python's `json` writes (`NaN`, `Infinity`, `-Infinity`);
 * - `bigint` is written as plain digits (an int in Python);
 * - `Uint8Array` is written as the WAMP binary string `"\u0000" + base64`.
 * Output is minified (separators `,` and `:`), non-ASCII characters are kept.
 */
import { encodeError } from './errors.js';
import { WampFloat, formatFloat } from './wamp-float.js';

/** Maximum nesting depth accepted by the encoder (guards against cycles). */
export const MAX_DEPTH = 1000;

/**
 * Serializes `value` to WAMP JSON text.
 * @throws {WampCodecError} `WAMP_ERR_ENCODE` for functions, symbols, cycles or nesting over {@link MAX_DEPTH}.
 */
export function stringifyJson(value: unknown): string {
  return write(value, 0);
}

function write(v: unknown, depth: number): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return writeNumber(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v.toString();
    case 'undefined':
      return 'null';
    case 'object':
      return writeObject(v, depth);
    default:
      throw encodeError(`cannot encode a ${typeof v} as WAMP JSON`);
  }
}

function writeNumber(v: number): string {
  // An integral safe number is an int; anything else (fraction, -0, NaN, ±Inf, |x| > 2^53) a float.
  if (Number.isSafeInteger(v) && !Object.is(v, -0)) return String(v);
  return formatFloat(v);
}

function writeObject(v: object | null, depth: number): string {
  if (v === null) return 'null';
  if (depth >= MAX_DEPTH) throw encodeError(`value nested deeper than ${MAX_DEPTH} (cycle?)`);
  if (Array.isArray(v)) return writeArray(v, depth + 1);
  if (v instanceof WampFloat) return formatFloat(v.value);
  if (v instanceof Uint8Array) return JSON.stringify('\u0000' + Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64'));
  if (v instanceof Map) return writeEntries(v.entries(), depth + 1);
  const toJSON = (v as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return write(toJSON.call(v), depth + 1);
  return writeEntries(Object.entries(v), depth + 1);
}

function writeArray(a: readonly unknown[], depth: number): string {
  let out = '[';
  for (let i = 0; i < a.length; i++) {
    if (i > 0) out += ',';
    out += write(a[i], depth);
  }
  return out + ']';
}

function writeEntries(entries: Iterable<[unknown, unknown]>, depth: number): string {
  let out = '{';
  let first = true;
  for (const [k, val] of entries) {
    if (val === undefined || typeof val === 'function' || typeof val === 'symbol') continue;
    if (!first) out += ',';
    first = false;
    out += JSON.stringify(String(k)) + ':' + write(val, depth);
  }
  return out + '}';
}
