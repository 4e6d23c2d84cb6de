/**
 * `--param key=value` parsing for `ocs-client call`: values are YAML 1.2 scalars (or flow
 * collections), so `delay=1.5` is a float, `succeed=false` a bool, `name=abc` a string,
 * `chans=[1,2]` a list. A number written with a decimal point or exponent stays a float on the
 * wire even when integral (`delay=2.0` → `2.0`, ocs-protocol.md §8.1).
 */
import { float } from '@smurf-ocs/wamp-codec';
import { parse as parseYaml } from 'yaml';
import { ClientUsageError } from '../errors.js';

const FLOAT_TEXT = /^[-+]?(\d+\.\d*|\.\d+|\d+(\.\d*)?[eE][-+]?\d+)$/;

/** Parse one `key=value` item; throws {@link ClientUsageError} without `=` or on bad YAML. */
export function parseParamItem(item: string): [string, unknown] {
  const eq = item.indexOf('=');
  if (eq <= 0) throw new ClientUsageError(`--param expects key=value, got "${item}"`);
  const key = item.slice(0, eq);
  const text = item.slice(eq + 1);
  if (text === '') return [key, ''];
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (err) {
    throw new ClientUsageError(`--param ${key}: cannot parse "${text}" as a YAML value (${(err as Error).message})`);
  }
  if (typeof value === 'number' && Number.isInteger(value) && FLOAT_TEXT.test(text.trim())) {
    return [key, float(value)];
  }
  return [key, value];
}

/** Parse all `--param` items into a params dict; a repeated key keeps the last value. */
export function parseParams(items: readonly string[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const item of items) {
    const [k, v] = parseParamItem(item);
    params[k] = v;
  }
  return params;
}
