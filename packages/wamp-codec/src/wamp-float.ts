/**
 * The float marker: a number that must travel as a float even when it is integral
 * (ocs-protocol.md 8.1). JavaScript has one number type and `JSON.stringify(2.0)` gives `2`;
 * Python peers (the aggregator, InfluxDB publishers) distinguish `2` from `2.0`.
 */

/**
 * A number that every serializer writes as a float: `2.0` in JSON, float64 in msgpack and CBOR.
 *
 * Instances are immutable. The router's lossless decoding returns `WampFloat` for integral
 * floats so that re-encoding keeps them floats; non-integral floats stay plain numbers since
 * they are floats anyway.
 */
export class WampFloat {
  /** The IEEE-754 double value (may be integral, `-0`, NaN or ±Infinity). */
  readonly value: number;

  constructor(value: number) {
    this.value = value;
  }

  /** The plain number, so `+f` and arithmetic work. */
  valueOf(): number {
    return this.value;
  }

  /** Plain-JSON view (`JSON.stringify` cannot keep float-ness; use a wamp-codec serializer). */
  toJSON(): number {
    return this.value;
  }

  /** Decimal text as Python's `repr(float)` would start it, e.g. `2.0`, `1.5`, `NaN`. */
  toString(): string {
    return formatFloat(this.value);
  }
}

/**
 * Marks `x` as a float for the wire: `float(2)` is sent as `2.0` (JSON) or float64 (msgpack/CBOR).
 * Use it for timestamps and every field ocs-protocol.md 8.1 says is a float.
 */
export function float(x: number): WampFloat {
  return new WampFloat(x);
}

/** True when `v` is a {@link WampFloat}. */
export function isWampFloat(v: unknown): v is WampFloat {
  return v instanceof WampFloat;
}

/**
 * The numeric value of a wire number: a `number`, a {@link WampFloat} (its value) or a `bigint`
 * (converted, may lose precision beyond 2^53). Returns `undefined` for anything else.
 */
export function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof WampFloat) return v.value;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

/**
 * @internal JSON text of a float: always parses back as a float in Python and in our parser.
 * `NaN`/`Infinity`/`-Infinity` are the bare tokens Python's `json` writes.
 */
export function formatFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const s = String(x);
  // String() of an integral double has neither '.' nor an exponent ("5", "100000000000000000000").
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2e /* . */ || c === 0x65 /* e */) return s;
  }
  return s + '.0';
}
