import { describe, expect, it } from 'vitest';
import { WampCodecError, WampFloat, decodeCbor, decodeMsgpack, encodeCbor, encodeMsgpack, float } from '../src/index.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

const codecs = [
  { name: 'msgpack', enc: encodeMsgpack, dec: decodeMsgpack },
  { name: 'cbor', enc: encodeCbor, dec: decodeCbor },
] as const;

const sample = {
  ints: [0, 1, -1, 23, 24, 127, 128, -32, -33, -128, -129, 255, 256, 65535, 65536, -32768, -32769, 2 ** 32 - 1, 2 ** 32, -(2 ** 31), -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER],
  floats: [0.5, -2.25, 1e-300, 1.7976931348623157e308],
  text: ['', 'a', 'x'.repeat(31), 'x'.repeat(32), 'y'.repeat(300), 'z'.repeat(70000), 'µK 温度 🚀'],
  misc: [true, false, null, {}, [], { nested: { deeper: [1, [2, [3]]] } }],
  bytes: new Uint8Array([0, 1, 2, 254, 255]),
};

describe.each(codecs)('$name', ({ enc, dec }) => {
  it('round-trips ints, floats, strings, maps, arrays, bytes', () => {
    expect(dec(enc(sample))).toEqual(sample);
  });

  it('keeps integral floats as floats (lossless) and ints as ints', () => {
    const v = dec(enc([float(5), 5, float(-0), NaN, Infinity, -Infinity, 2 ** 60]), { lossless: true }) as unknown[];
    expect(v[0]).toEqual(new WampFloat(5));
    expect(v[1]).toBe(5);
    expect(Object.is((v[2] as WampFloat).value, -0)).toBe(true);
    expect(Number.isNaN(v[3])).toBe(true);
    expect(v.slice(4, 6)).toEqual([Infinity, -Infinity]);
    expect(v[6]).toEqual(new WampFloat(2 ** 60));
    expect(dec(enc([float(5)]))).toEqual([5]);
  });

  it('carries 64-bit ints as bigint', () => {
    const v = [2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n - 1n, 2n ** 53n, 7n];
    expect(dec(enc(v))).toEqual([2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n - 1n, 2n ** 53n, 7]);
    expect(() => enc(2n ** 64n)).toThrowError(expect.objectContaining({ code: 'WAMP_ERR_ENCODE' }));
  });

  it('round-trips a 1 MiB payload', () => {
    const payload = { blob: new Uint8Array(1 << 20).fill(7), text: 'ab'.repeat(1 << 19), list: Array.from({ length: 10000 }, (_, i) => i + 0.5) };
    const [back] = dec(enc([payload])) as [typeof payload];
    // Compared piecewise: deep equality over a million array elements is slow in vitest.
    expect(back.blob).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(back.blob).equals(Buffer.from(payload.blob))).toBe(true);
    expect(back.text === payload.text).toBe(true);
    expect(back.list.length).toBe(10000);
    expect(back.list.every((x, i) => x === i + 0.5)).toBe(true);
  });

  it('handles deep nesting up to the limit and rejects deeper on decode', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 900; i++) deep = [deep];
    expect(dec(enc(deep))).toEqual(deep);
    const tooDeep = new Uint8Array(1100).fill(enc([])[0]! === 0x90 ? 0x91 : 0x81);
    expect(() => dec(tooDeep)).toThrowError(expect.objectContaining({ code: 'WAMP_ERR_DECODE' }));
  });

  it('rejects truncated input and trailing bytes with typed errors', () => {
    const full = enc({ a: 'hello', b: [1.5, 2] });
    for (let n = 0; n < full.length; n++) {
      expect(() => dec(full.subarray(0, n))).toThrow(WampCodecError);
    }
    const extra = new Uint8Array([...full, 0]);
    expect(() => dec(extra)).toThrowError(expect.objectContaining({ code: 'WAMP_ERR_DECODE' }));
  });
});

describe('msgpack wire bytes', () => {
  it('matches the MessagePack spec for typical values', () => {
    expect(hex(encodeMsgpack([5, float(5), 'ab', -1, 300, null, true]))).toBe('9705cb4014000000000000a26162ffcd012cc0c3');
    expect(hex(encodeMsgpack(2n ** 63n - 1n))).toBe('cf7fffffffffffffff');
  });

  it('decodes float32 and rejects ext types and invalid UTF-8', () => {
    expect(decodeMsgpack(unhex('ca40a00000'), { lossless: true })).toEqual(new WampFloat(5));
    expect(() => decodeMsgpack(unhex('d40100'))).toThrowError(expect.objectContaining({ code: 'WAMP_ERR_DECODE' }));
    expect(() => decodeMsgpack(unhex('a2c328'))).toThrowError(expect.objectContaining({ code: 'WAMP_ERR_DECODE' }));
  });

  it('stringifies integer map keys and rejects others', () => {
    expect(decodeMsgpack(unhex('8101a178'))).toEqual({ 1: 'x' });
    expect(() => decodeMsgpack(unhex('81c3a178'))).toThrow(WampCodecError);
  });
});

describe('CBOR wire bytes', () => {
  it('matches RFC 8949 for typical values', () => {
    expect(hex(encodeCbor([5, float(5), 'ab', -1, 300, null, true]))).toBe('8705fb4014000000000000626162201901 2cf6f5'.replace(/ /g, ''));
  });

  it('decodes half floats, indefinite lengths, bignum tags and skips other tags', () => {
    expect(decodeCbor(unhex('f94500'), { lossless: true })).toEqual(new WampFloat(5));
    expect(decodeCbor(unhex('f93e00'))).toBe(1.5);
    expect(decodeCbor(unhex('9f0102ff'))).toEqual([1, 2]);
    expect(decodeCbor(unhex('bf6161 01ff'.replace(/ /g, '')))).toEqual({ a: 1 });
    expect(decodeCbor(unhex('7f616161 62ff'.replace(/ /g, '')))).toEqual('ab');
    expect(decodeCbor(unhex('c249010000000000000000'))).toBe(2n ** 64n);
    expect(decodeCbor(unhex('c11a514b67b0'))).toBe(1363896240);
  });

  it('rejects a stray break', () => {
    expect(() => decodeCbor(unhex('ff'))).toThrowError(expect.objectContaining({ code: 'WAMP_ERR_DECODE' }));
    expect(() => decodeCbor(unhex('82ff01'))).toThrow(WampCodecError);
  });
});
