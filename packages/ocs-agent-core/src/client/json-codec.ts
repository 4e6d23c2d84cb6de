/**
 * The JSON codec used by the client for HTTP bridge bodies and the WAMP `wamp.2.json` serializer.
 *
 * Python's `json.dumps` (crossbar's HTTP bridge, Python agents over JSON) writes bare `NaN`,
 * `Infinity` and `-Infinity` tokens (ocs-protocol.md §3.2), which `JSON.parse` rejects.
 * `parseJson` accepts them. This is the one place to swap in `@smurf-ocs/wamp-codec`'s JSON codec.
 */

/** Encode/decode pair for JSON text on the wire. */
export interface JsonCodec {
  /** Parse wire JSON text; bare `NaN`/`Infinity`/`-Infinity` tokens become the JS numbers. */
  parse(text: string): unknown;
  /** Serialise a value to JSON text. */
  stringify(value: unknown): string;
}

const SENTINEL = '\u0000ocs-nonfinite:';
const NON_FINITE: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

/** Replace bare NaN/Infinity tokens outside strings with sentinel strings. */
function quoteNonFinite(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      // Copy the whole string literal, honouring backslash escapes.
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const token = ['-Infinity', 'Infinity', 'NaN'].find((t) => text.startsWith(t, i));
    if (token !== undefined) {
      out += JSON.stringify(SENTINEL + token);
      i += token.length;
      continue;
    }
    out += ch;
    i += 1;
  }
  return out;
}

function reviveNonFinite(_key: string, value: unknown): unknown {
  if (typeof value === 'string' && value.startsWith(SENTINEL)) {
    return NON_FINITE[value.slice(SENTINEL.length)] ?? value;
  }
  return value;
}

/** Default codec: `JSON.parse` first, falling back to a NaN/Infinity-tolerant parse. */
export const localJsonCodec: JsonCodec = {
  parse(text: string): unknown {
    try {
      return JSON.parse(text);
    } catch (err) {
      if (!/NaN|Infinity/.test(text)) throw err;
      return JSON.parse(quoteNonFinite(text), reviveNonFinite);
    }
  },
  stringify(value: unknown): string {
    return JSON.stringify(value);
  },
};

/** The codec the client uses everywhere (swap here for `@smurf-ocs/wamp-codec`). */
export const jsonCodec: JsonCodec = localJsonCodec;
