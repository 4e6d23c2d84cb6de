/**
 * The JSON codec used by the client for HTTP bridge bodies and the WAMP `wamp.2.json` serializer.
 *
 * Python's `json.dumps` (crossbar's HTTP bridge, Python agents over JSON) writes bare `NaN`,
 * `Infinity` and `-Infinity` tokens (ocs-protocol.md §3.2), which `JSON.parse` rejects; ints
 * beyond 2^53 need `bigint`; `float(2)` must go out as `2.0` (§8.1). `@smurf-ocs/wamp-codec`
 * handles all three. This is the one place that picks the codec.
 */
import { parseJson, stringifyJson } from '@smurf-ocs/wamp-codec';

/** Encode/decode pair for JSON text on the wire. */
export interface JsonCodec {
  /** Parse wire JSON text; bare `NaN`/`Infinity`/`-Infinity` tokens become the JS numbers. */
  parse(text: string): unknown;
  /** Serialise a value to JSON text (`WampFloat` values are written as floats). */
  stringify(value: unknown): string;
}

/** The codec the client uses everywhere. */
export const jsonCodec: JsonCodec = {
  parse: (text) => parseJson(text),
  stringify: (value) => stringifyJson(value),
};
