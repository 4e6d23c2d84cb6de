/**
 * `@smurf-ocs/wamp-codec`: lossless WAMP value codecs (JSON with float/NaN fidelity, msgpack, CBOR).
 *
 * Numbers on the wire (ocs-protocol.md 8.1):
 * - a safe-integer `number` is an int; any other `number` (fraction, -0, NaN, ±Infinity, |x| > 2^53)
 *   is a float; {@link WampFloat} (`float(x)`) is always a float; `bigint` is an int (64-bit max in
 *   msgpack/CBOR, any size in JSON);
 * - decoding gives `number` for floats (or {@link WampFloat} when integral in lossless mode),
 *   `number` for safe ints and `bigint` beyond ±(2^53-1).
 * Binary (`Uint8Array`) is msgpack bin, CBOR bytes, and `"\u0000" + base64` in JSON (WAMP spec).
 *
 * @packageDocumentation
 */
export { WampCodecError, type WampCodecErrorCode } from './errors.js';
export { WampFloat, float, isWampFloat, toNumber } from './wamp-float.js';
export type { DecodeOptions } from './options.js';
export { stringifyJson } from './json-stringify.js';
export { parseJson } from './json-parse.js';
export { encodeMsgpack } from './msgpack-encode.js';
export { decodeMsgpack } from './msgpack-decode.js';
export { encodeCbor } from './cbor-encode.js';
export { decodeCbor } from './cbor-decode.js';
export {
  type WampSerializer,
  type WampSerializerId,
  jsonSerializer,
  msgpackSerializer,
  cborSerializer,
  serializers,
  isSerializerId,
  pickSerializer,
} from './serializers.js';
