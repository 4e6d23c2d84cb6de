/**
 * Text of a wire value for error and log messages.
 */
import { stringifyJson } from '@smurf-ocs/wamp-codec';

/**
 * WAMP JSON text of `value` (ocs-protocol.md 8.1: bigints as digits, `float(2)` as `2.0`, NaN as
 * `NaN`) for messages. Never throws: values the codec cannot write (functions, cycles) fall back
 * to `String(value)`. Unlike `JSON.stringify`, a bigint in a WAMP ERROR's args does not throw.
 */
export function wireText(value: unknown): string {
  try {
    return stringifyJson(value);
  } catch {
    return String(value);
  }
}
