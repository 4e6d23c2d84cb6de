/**
 * WAMP JSON reader with float fidelity (ocs-protocol.md 8.1).
 *
 * `JSON.parse` cannot be used: it rejects the `NaN`/`Infinity` tokens Python peers write, it
 * forgets whether `5.0` was written as a float, and it rounds ints beyond 2^53. This is a small
 * recursive-descent parser over the string's char codes; the number syntax is JSON's, plus the
 * tokens `NaN`, `Infinity`, `-Infinity`. Strings starting with `\u0000` are WAMP binary
 * (base64) and decode to `Uint8Array`.
 */
import { decodeError } from './errors.js';
import type { DecodeOptions } from './options.js';
import { MAX_DEPTH } from './json-stringify.js';
import { WampFloat } from './wamp-float.js';

/**
 * Parses WAMP JSON text.
 * @throws {WampCodecError} `WAMP_ERR_DECODE` on any syntax error or nesting over 1000 levels.
 */
export function parseJson(text: string, opts?: DecodeOptions): unknown {
  const p = new JsonParser(text, opts?.lossless === true);
  p.skipWs();
  const v = p.value(0);
  p.skipWs();
  if (p.pos !== text.length) throw decodeError('unexpected data after JSON value', p.pos);
  return v;
}

class JsonParser {
  pos = 0;
  constructor(
    readonly s: string,
    readonly lossless: boolean,
  ) {}

  skipWs(): void {
    const s = this.s;
    let c = s.charCodeAt(this.pos);
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = s.charCodeAt(++this.pos);
  }

  value(depth: number): unknown {
    const c = this.s.charCodeAt(this.pos);
    switch (c) {
      case 0x22 /* " */:
        return this.string();
      case 0x7b /* { */:
        return this.object(depth + 1);
      case 0x5b /* [ */:
        return this.array(depth + 1);
      case 0x74 /* t */:
        return this.literal('true', true);
      case 0x66 /* f */:
        return this.literal('false', false);
      case 0x6e /* n */:
        return this.literal('null', null);
      case 0x4e /* N */:
        return this.special('NaN', NaN);
      case 0x49 /* I */:
        return this.special('Infinity', Infinity);
      default:
        if (c === 0x2d /* - */ && this.s.charCodeAt(this.pos + 1) === 0x49) {
          this.pos++;
          return this.special('Infinity', -Infinity);
        }
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
        throw decodeError(Number.isNaN(c) ? 'unexpected end of JSON input' : 'unexpected character in JSON', this.pos);
    }
  }

  literal<T>(word: string, v: T): T {
    if (!this.s.startsWith(word, this.pos)) throw decodeError('invalid JSON literal', this.pos);
    this.pos += word.length;
    return v;
  }

  special(word: string, v: number): number | WampFloat {
    this.literal(word, v);
    return v;
  }

  number(): number | bigint | WampFloat {
    const s = this.s;
    const start = this.pos;
    let i = start;
    let isFloat = false;
    if (s.charCodeAt(i) === 0x2d) i++;
    const intStart = i;
    let c = s.charCodeAt(i);
    if (c === 0x30) c = s.charCodeAt(++i);
    else while (c >= 0x30 && c <= 0x39) c = s.charCodeAt(++i);
    if (i === intStart) throw decodeError('invalid JSON number', start);
    if (c === 0x2e /* . */) {
      isFloat = true;
      const f = ++i;
      c = s.charCodeAt(i);
      while (c >= 0x30 && c <= 0x39) c = s.charCodeAt(++i);
      if (i === f) throw decodeError('invalid JSON number: digit expected after "."', i);
    }
    if (c === 0x65 || c === 0x45 /* e E */) {
      isFloat = true;
      c = s.charCodeAt(++i);
      if (c === 0x2b || c === 0x2d) c = s.charCodeAt(++i);
      const e = i;
      while (c >= 0x30 && c <= 0x39) c = s.charCodeAt(++i);
      if (i === e) throw decodeError('invalid JSON number: exponent digits expected', i);
    }
    this.pos = i;
    const text = s.slice(start, i);
    const n = Number(text);
    if (isFloat) return this.lossless && Number.isInteger(n) ? new WampFloat(n) : n;
    // Up to 15 digits always fits in a safe integer; longer ones are checked exactly.
    if (i - intStart <= 15 || Number.isSafeInteger(n)) return n;
    return BigInt(text);
  }

  string(): string | Uint8Array {
    const s = this.s;
    const start = ++this.pos;
    // Fast path: no escapes before the closing quote.
    let i = start;
    for (;;) {
      const c = s.charCodeAt(i);
      if (c === 0x22) break;
      if (c === 0x5c || c < 0x20 || Number.isNaN(c)) return this.slowString(start);
      i++;
    }
    this.pos = i + 1;
    return s.slice(start, i);
  }

  slowString(start: number): string | Uint8Array {
    const s = this.s;
    let out = '';
    let i = start;
    let chunk = start;
    for (;;) {
      const c = s.charCodeAt(i);
      if (Number.isNaN(c)) throw decodeError('unterminated JSON string', i);
      if (c === 0x22) break;
      if (c < 0x20) throw decodeError('control character in JSON string', i);
      if (c !== 0x5c) {
        i++;
        continue;
      }
      out += s.slice(chunk, i);
      const [text, len] = this.escape(i);
      out += text;
      i += len;
      chunk = i;
    }
    out += s.slice(chunk, i);
    this.pos = i + 1;
    return binaryOrString(out, start);
  }

  /** Decodes the escape at `i` (pointing at the backslash): [text, consumed length]. */
  escape(i: number): [string, number] {
    const e = this.s.charCodeAt(i + 1);
    switch (e) {
      case 0x22: return ['"', 2];
      case 0x5c: return ['\\', 2];
      case 0x2f: return ['/', 2];
      case 0x62: return ['\b', 2];
      case 0x66: return ['\f', 2];
      case 0x6e: return ['\n', 2];
      case 0x72: return ['\r', 2];
      case 0x74: return ['\t', 2];
      case 0x75: {
        const hex = this.s.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw decodeError('invalid \\u escape in JSON string', i);
        return [String.fromCharCode(parseInt(hex, 16)), 6];
      }
      default:
        throw decodeError('invalid escape in JSON string', i);
    }
  }

  array(depth: number): unknown[] {
    if (depth > MAX_DEPTH) throw decodeError(`JSON nested deeper than ${MAX_DEPTH}`, this.pos);
    this.pos++;
    const out: unknown[] = [];
    this.skipWs();
    if (this.s.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWs();
      out.push(this.value(depth));
      this.skipWs();
      const c = this.s.charCodeAt(this.pos++);
      if (c === 0x5d) return out;
      if (c !== 0x2c) throw decodeError('expected "," or "]" in JSON array', this.pos - 1);
    }
  }

  object(depth: number): Record<string, unknown> {
    if (depth > MAX_DEPTH) throw decodeError(`JSON nested deeper than ${MAX_DEPTH}`, this.pos);
    this.pos++;
    const out: Record<string, unknown> = {};
    this.skipWs();
    if (this.s.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      return out;
    }
    for (;;) {
      this.skipWs();
      if (this.s.charCodeAt(this.pos) !== 0x22) throw decodeError('expected a string key in JSON object', this.pos);
      const key = this.string();
      if (typeof key !== 'string') throw decodeError('binary value used as a JSON object key', this.pos);
      this.skipWs();
      if (this.s.charCodeAt(this.pos++) !== 0x3a) throw decodeError('expected ":" in JSON object', this.pos - 1);
      this.skipWs();
      setKey(out, key, this.value(depth));
      this.skipWs();
      const c = this.s.charCodeAt(this.pos++);
      if (c === 0x7d) return out;
      if (c !== 0x2c) throw decodeError('expected "," or "}" in JSON object', this.pos - 1);
    }
  }
}

/** @internal Sets `o[key] = v`, defining `__proto__` as an own property instead of the prototype. */
export function setKey(o: Record<string, unknown>, key: string, v: unknown): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
  else o[key] = v;
}

/**
 * @internal A binary map key as an object key: strings as is; ints (Python dicts may have them)
 * become their decimal text, as Python's `json` writes them; anything else is a decode error.
 */
export function mapKey(k: unknown, offset: number): string {
  if (typeof k === 'string') return k;
  if (typeof k === 'number' || typeof k === 'bigint') return String(k);
  throw decodeError('map key is neither a string nor an integer', offset);
}

/** WAMP binary in JSON: a string whose first character is U+0000, followed by base64. */
function binaryOrString(s: string, offset: number): string | Uint8Array {
  if (s.charCodeAt(0) !== 0) return s;
  const b64 = s.slice(1);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw decodeError('invalid base64 in WAMP binary string', offset);
  return new Uint8Array(Buffer.from(b64, 'base64'));
}
