import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { WampCodecError, WampFloat, float, parseJson, stringifyJson } from '../src/index.js';

describe('stringifyJson', () => {
  it('writes ints as ints and integral floats as floats', () => {
    expect(stringifyJson([1, 2.5, float(2), float(-0), -0, float(1e300), 2 ** 60])).toBe(
      '[1,2.5,2.0,-0.0,-0.0,1e+300,1152921504606847000.0]',
    );
  });

  it('writes NaN and infinities as the bare tokens Python json writes', () => {
    expect(stringifyJson([NaN, Infinity, -Infinity, float(NaN)])).toBe('[NaN,Infinity,-Infinity,NaN]');
  });

  it('writes bigint as digits, bytes as WAMP binary, skips undefined properties', () => {
    const big = 2n ** 63n - 1n;
    expect(stringifyJson({ a: big, b: new Uint8Array([1, 2, 255]), c: undefined, d: [undefined] })).toBe(
      '{"a":9223372036854775807,"b":"\\u0000AQL/","d":[null]}',
    );
  });

  it('keeps non-ASCII text and escapes control characters', () => {
    expect(stringifyJson(['µK 温度 🚀', 'a"b\n'])).toBe('["µK 温度 🚀","a\\"b\\n"]');
  });

  it('rejects functions and cycles with WAMP_ERR_ENCODE', () => {
    expect(() => stringifyJson(() => 1)).toThrow(WampCodecError);
    const cyclic: unknown[] = [];
    cyclic.push(cyclic);
    expect(() => stringifyJson(cyclic)).toThrowError(expect.objectContaining({ code: 'WAMP_ERR_ENCODE' }));
  });

  it('produces text Python json reads with the same int/float types', () => {
    const text = stringifyJson({ f: float(5), i: 5, n: NaN, big: 2n ** 63n - 1n, t: float(1700000000) });
    const py = spawnSync(
      'python3',
      ['-c', 'import json,sys; d=json.loads(sys.stdin.read()); print(json.dumps({k: type(v).__name__ for k, v in sorted(d.items())}))'],
      { input: text, encoding: 'utf8' },
    );
    expect(py.error).toBeUndefined();
    expect(py.status).toBe(0);
    expect(JSON.parse(py.stdout)).toEqual({ big: 'int', f: 'float', i: 'int', n: 'float', t: 'float' });
  });
});

describe('parseJson', () => {
  it('parses JSON as JSON.parse does for ordinary documents', () => {
    const text = '{"a":[1,-2,3.25,true,false,null,"x\\u00e9\\ud83d\\ude80"],"b":{"c":{}},"d":[],"e":1e-7, "f" : 0.5 }';
    expect(parseJson(text)).toEqual(JSON.parse(text));
  });

  it('keeps integral floats as WampFloat in lossless mode only', () => {
    expect(parseJson('[5.0,5,1e3,2.5,-0.0]', { lossless: true })).toEqual([
      new WampFloat(5), 5, new WampFloat(1000), 2.5, new WampFloat(-0),
    ]);
    expect(parseJson('[5.0,5,1e3,2.5]')).toEqual([5, 5, 1000, 2.5]);
  });

  it('parses NaN/Infinity tokens', () => {
    const v = parseJson('[NaN,Infinity,-Infinity]') as number[];
    expect(Number.isNaN(v[0])).toBe(true);
    expect(v.slice(1)).toEqual([Infinity, -Infinity]);
  });

  it('returns bigint beyond 2^53 and numbers up to it', () => {
    expect(parseJson('[9223372036854775807,-9223372036854775808,9007199254740991,123456789012345678901234]')).toEqual([
      2n ** 63n - 1n, -(2n ** 63n), 9007199254740991, 123456789012345678901234n,
    ]);
  });

  it('decodes WAMP binary strings to Uint8Array', () => {
    expect(parseJson('"\\u0000AQL/"')).toEqual(new Uint8Array([1, 2, 255]));
  });

  it('keeps a __proto__ key as an own property', () => {
    const v = parseJson('{"__proto__":{"polluted":1}}') as Record<string, unknown>;
    expect(Object.keys(v)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('handles deep nesting up to the limit and rejects deeper', () => {
    const ok = '['.repeat(900) + ']'.repeat(900);
    expect(parseJson(ok)).toBeInstanceOf(Array);
    const tooDeep = '['.repeat(1100) + ']'.repeat(1100);
    expect(() => parseJson(tooDeep)).toThrowError(expect.objectContaining({ code: 'WAMP_ERR_DECODE' }));
  });

  it.each([
    '', '{', '[1,]', '{"a":1,}', '{"a" 1}', '[01]', '[1.]', '[1e]', '"abc', '"a\\x"', '"\\u12g4"', '[1] x', 'nul', '-', '[-Inf]',
    '"a\u0001b"', '{1:2}', '"\\u0000***"',
  ])('rejects malformed input %j with a typed error', (text) => {
    let caught: unknown;
    try {
      parseJson(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(WampCodecError);
    expect((caught as WampCodecError).code).toBe('WAMP_ERR_DECODE');
  });
});
