/**
 * WAMP serializers (WAMP spec "Serializations"; ocs-protocol.md 1.1): one object per WebSocket
 * subprotocol, each turning a WAMP message array into a frame and back with float fidelity.
 */
import { decodeCbor } from './cbor-decode.js';
import { encodeCbor } from './cbor-encode.js';
import { WampCodecError, decodeError } from './errors.js';
import { parseJson } from './json-parse.js';
import { stringifyJson } from './json-stringify.js';
import { decodeMsgpack } from './msgpack-decode.js';
import { encodeMsgpack } from './msgpack-encode.js';
import type { DecodeOptions } from './options.js';

/** WebSocket subprotocol names of the supported (non-batched) WAMP serializers. */
export type WampSerializerId = 'wamp.2.json' | 'wamp.2.msgpack' | 'wamp.2.cbor';

/** A WAMP message serializer. */
export interface WampSerializer {
  /** The WebSocket subprotocol name. */
  readonly id: WampSerializerId;
  /** True when frames are binary WebSocket messages (msgpack, CBOR), false for text (JSON). */
  readonly binary: boolean;
  /**
   * Encodes one WAMP message (`[type, ...]`).
   * @throws {WampCodecError} `WAMP_ERR_ENCODE` when a value has no wire representation.
   */
  encode(msg: readonly unknown[]): string | Uint8Array;
  /**
   * Decodes one frame into a WAMP message array. Text for JSON (a `Uint8Array` is read as UTF-8),
   * bytes for msgpack/CBOR.
   * @throws {WampCodecError} `WAMP_ERR_DECODE` when the frame is malformed or not an array.
   */
  decode(data: string | Uint8Array, opts?: DecodeOptions): unknown[];
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function ensureArray(v: unknown): unknown[] {
  if (!Array.isArray(v)) throw decodeError('a WAMP message must be an array', 0);
  return v;
}

function textOf(data: string | Uint8Array): string {
  if (typeof data === 'string') return data;
  try {
    return UTF8.decode(data);
  } catch (err) {
    throw decodeError('WAMP JSON frame is not valid UTF-8', 0, err);
  }
}

function bytesOf(data: string | Uint8Array, id: string): Uint8Array {
  if (typeof data !== 'string') return data;
  throw new WampCodecError('WAMP_ERR_DECODE', `${id} frames must be binary, got text`);
}

/** `wamp.2.json`: text frames; integral floats as `2.0`, NaN tokens, binary as `"\u0000"+base64`. */
export const jsonSerializer: WampSerializer = {
  id: 'wamp.2.json',
  binary: false,
  encode: (msg) => stringifyJson(msg),
  decode: (data, opts) => ensureArray(parseJson(textOf(data), opts)),
};

/** `wamp.2.msgpack`: binary frames; floats as float64, ints up to 64 bits, bin for bytes. */
export const msgpackSerializer: WampSerializer = {
  id: 'wamp.2.msgpack',
  binary: true,
  encode: (msg) => encodeMsgpack(msg),
  decode: (data, opts) => ensureArray(decodeMsgpack(bytesOf(data, 'wamp.2.msgpack'), opts)),
};

/** `wamp.2.cbor`: binary frames; floats as float64, ints up to 64 bits, byte strings for bytes. */
export const cborSerializer: WampSerializer = {
  id: 'wamp.2.cbor',
  binary: true,
  encode: (msg) => encodeCbor(msg),
  decode: (data, opts) => ensureArray(decodeCbor(bytesOf(data, 'wamp.2.cbor'), opts)),
};

/** All serializers by subprotocol id. */
export const serializers: Readonly<Record<WampSerializerId, WampSerializer>> = {
  'wamp.2.json': jsonSerializer,
  'wamp.2.msgpack': msgpackSerializer,
  'wamp.2.cbor': cborSerializer,
};

/** True when `id` names a serializer of this package. */
export function isSerializerId(id: string): id is WampSerializerId {
  return Object.prototype.hasOwnProperty.call(serializers, id);
}

/**
 * The serializer for the first subprotocol in `offered` that this package supports (the rule
 * crossbar/autobahn-python use when accepting a WebSocket), or `undefined`. `*.batched` variants
 * are never picked.
 */
export function pickSerializer(offered: Iterable<string>): WampSerializer | undefined {
  for (const id of offered) if (isSerializerId(id)) return serializers[id];
  return undefined;
}
