import { describe, expect, it } from 'vitest';
import { WampCodecError, WampFloat, float, pickSerializer, serializers } from '../src/index.js';

const all = Object.values(serializers);

describe('serializers', () => {
  it('exposes json, msgpack and cbor by subprotocol id', () => {
    expect(all.map((s) => [s.id, s.binary])).toEqual([
      ['wamp.2.json', false], ['wamp.2.msgpack', true], ['wamp.2.cbor', true],
    ]);
  });

  it('picks the first supported offered subprotocol, never batched', () => {
    expect(pickSerializer(['wamp.2.cbor.batched', 'wamp.2.msgpack', 'wamp.2.json'])?.id).toBe('wamp.2.msgpack');
    expect(pickSerializer(['wamp.2.json.batched'])).toBeUndefined();
  });

  it.each(all)('$id round-trips a WAMP EVENT losslessly', (s) => {
    const msg = [36, 2n ** 63n - 1n, 42, { topic: 'observatory.faker.feeds.heartbeat' }, [[{ t: float(1700000000), v: 2.5, n: 3 }, { unicode: 'µK' }]]];
    const back = s.decode(s.encode(msg), { lossless: true });
    expect(back).toEqual([36, 2n ** 63n - 1n, 42, { topic: 'observatory.faker.feeds.heartbeat' }, [[{ t: new WampFloat(1700000000), v: 2.5, n: 3 }, { unicode: 'µK' }]]]);
  });

  it('keeps 5.0 a float through JSON -> msgpack -> CBOR -> JSON', () => {
    const { 'wamp.2.json': json, 'wamp.2.msgpack': mp, 'wamp.2.cbor': cbor } = serializers;
    const a = json.decode('[16,1,{},"observatory.x",[5.0,5,NaN]]', { lossless: true });
    const b = mp.decode(mp.encode(a), { lossless: true });
    const c = cbor.decode(cbor.encode(b), { lossless: true });
    expect(json.encode(c)).toBe('[16,1,{},"observatory.x",[5.0,5,NaN]]');
  });

  it.each(all)('$id rejects non-array messages and garbage', (s) => {
    const notArray = s.encode([1]);
    const asObject = s.id === 'wamp.2.json' ? '{"a":1}' : s.id === 'wamp.2.msgpack' ? new Uint8Array([0x80]) : new Uint8Array([0xa0]);
    expect(s.decode(notArray)).toEqual([1]);
    expect(() => s.decode(asObject)).toThrowError(expect.objectContaining({ code: 'WAMP_ERR_DECODE' }));
    expect(() => s.decode(new Uint8Array([0xc1, 0xff, 0xfe]))).toThrow(WampCodecError);
  });

  it('rejects text frames for binary serializers', () => {
    expect(() => serializers['wamp.2.msgpack'].decode('[]')).toThrowError(expect.objectContaining({ code: 'WAMP_ERR_DECODE' }));
  });
});
