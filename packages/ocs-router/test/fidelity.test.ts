import { WampFloat } from '@smurf-ocs/wamp-codec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Router, startRouter } from '../src/index.js';
import { RawClient, quiet } from './helpers.js';

let router: Router;
beforeAll(async () => {
  router = await startRouter({ logger: quiet, port: 0 });
});
afterAll(() => router.close());

async function subscriber(ser: 'wamp.2.json' | 'wamp.2.msgpack' | 'wamp.2.cbor', topic: string): Promise<RawClient> {
  const { client } = await RawClient.join(router.url, ser);
  client.send([32, 1, {}, topic]);
  await client.next((m) => m[0] === 33);
  return client;
}

describe('numeric fidelity across serializers (ocs-protocol.md 8.1)', () => {
  it('JSON 5.0 from a publisher reaches msgpack/CBOR subscribers as float64 and JSON ones as 5.0', async () => {
    const topic = 'observatory.faker.feeds.false_temperatures';
    const mp = await subscriber('wamp.2.msgpack', topic);
    const cb = await subscriber('wamp.2.cbor', topic);
    const js = await subscriber('wamp.2.json', topic);
    const { client: pub } = await RawClient.join(router.url, 'wamp.2.json');
    pub.sendFrame(`[16,5,{},"${topic}",[[{"b":{"data":{"T":[5.0,5,2.5,NaN,-Infinity]},"timestamps":[1700000000.0]}},{"record":true}]]]`);

    const mpEvent = await mp.next((m) => m[0] === 36);
    const data = (mpEvent[4] as [[{ b: { data: { T: unknown[] }; timestamps: unknown[] } }]])[0][0].b;
    expect(data.data.T[0]).toEqual(new WampFloat(5));
    expect(data.data.T[1]).toBe(5);
    expect(data.timestamps[0]).toEqual(new WampFloat(1700000000));
    const raw = mp.frames.at(-1) as Buffer;
    expect(raw.includes(Buffer.from('cb4014000000000000', 'hex'))).toBe(true); // float64 5.0

    const cbEvent = await cb.next((m) => m[0] === 36);
    expect((cbEvent[4] as [[{ b: { data: { T: unknown[] } } }]])[0][0].b.data.T[0]).toEqual(new WampFloat(5));
    expect((cb.frames.at(-1) as Buffer).includes(Buffer.from('fb4014000000000000', 'hex'))).toBe(true);

    await js.next((m) => m[0] === 36);
    expect(js.frames.at(-1)).toMatch(/"T":\[5\.0,5,2\.5,NaN,-Infinity\]\},"timestamps":\[1700000000\.0\]/);
  });

  it('a msgpack float64 integral value reaches a JSON callee as 5.0 and the YIELD back keeps it', async () => {
    const { client: callee } = await RawClient.join(router.url, 'wamp.2.json');
    const { client: caller } = await RawClient.join(router.url, 'wamp.2.msgpack');
    callee.send([64, 1, {}, 'observatory.fid.echo']);
    await callee.next((m) => m[0] === 65);
    caller.send([48, 9, {}, 'observatory.fid.echo', [new WampFloat(5), 5]]);
    const inv = await callee.next((m) => m[0] === 68);
    expect(callee.frames.at(-1)).toMatch(/,\[5\.0,5\]\]$/);
    callee.sendFrame(`[70,${inv[1] as number},{},[5.0,3]]`);
    const result = await caller.next((m) => m[0] === 50);
    expect(result).toEqual([50, 9, {}, [new WampFloat(5), 3]]);
  });

  it('carries 2^63-1 and -2^63 intact through msgpack and CBOR peers and into JSON', async () => {
    const max = 2n ** 63n - 1n;
    const min = -(2n ** 63n);
    const { client: callee } = await RawClient.join(router.url, 'wamp.2.msgpack');
    const { client: caller } = await RawClient.join(router.url, 'wamp.2.cbor');
    const { client: jsCaller } = await RawClient.join(router.url, 'wamp.2.json');
    callee.send([64, 1, {}, 'observatory.fid.big']);
    await callee.next((m) => m[0] === 65);
    caller.send([48, 3, {}, 'observatory.fid.big', [max, min], { u: 2n ** 64n - 1n }]);
    const inv = await callee.next((m) => m[0] === 68);
    expect(inv.slice(4)).toEqual([[max, min], { u: 2n ** 64n - 1n }]);
    expect((callee.frames.at(-1) as Buffer).includes(Buffer.from('d38000000000000000', 'hex'))).toBe(true);
    callee.send([70, inv[1], {}, [max]]);
    expect(await caller.next((m) => m[0] === 50)).toEqual([50, 3, {}, [max]]);

    jsCaller.send([48, 4, {}, 'observatory.fid.big', [max]]);
    const inv2 = await callee.next((m) => m[0] === 68);
    expect(inv2[4]).toEqual([max]);
    callee.send([70, inv2[1], {}, [max]]);
    await jsCaller.next((m) => m[0] === 50);
    expect(jsCaller.frames.at(-1)).toBe('[50,4,{},[9223372036854775807]]');
  });

  it('turns a value a msgpack peer cannot carry into invalid_argument for the caller', async () => {
    const { client: callee } = await RawClient.join(router.url, 'wamp.2.msgpack');
    const { client: caller } = await RawClient.join(router.url, 'wamp.2.json');
    callee.send([64, 1, {}, 'observatory.fid.huge']);
    await callee.next((m) => m[0] === 65);
    caller.sendFrame('[48,1,{},"observatory.fid.huge",[123456789012345678901234567890]]');
    const err = await caller.next((m) => m[0] === 8);
    expect(err.slice(0, 5)).toEqual([8, 48, 1, {}, 'wamp.error.invalid_argument']);
    expect(router.counters.encodeErrors).toBeGreaterThan(0);
  });

  it('carries a 1 MiB binary payload msgpack -> JSON (WAMP base64 binary) -> msgpack', async () => {
    const { client: callee } = await RawClient.join(router.url, 'wamp.2.json');
    const { client: caller } = await RawClient.join(router.url, 'wamp.2.msgpack');
    callee.send([64, 1, {}, 'observatory.fid.blob']);
    await callee.next((m) => m[0] === 65);
    const blob = new Uint8Array(1 << 20).map((_, i) => i & 0xff);
    caller.send([48, 2, {}, 'observatory.fid.blob', [blob]]);
    const inv = await callee.next((m) => m[0] === 68);
    expect(Buffer.from((inv[4] as Uint8Array[])[0]!).equals(Buffer.from(blob))).toBe(true);
    expect((callee.frames.at(-1) as string).includes('"\\u0000AAECAwQF')).toBe(true);
    callee.send([70, inv[1], {}, inv[4]]);
    const res = await caller.next((m) => m[0] === 50);
    expect(Buffer.from((res[3] as Uint8Array[])[0]!).equals(Buffer.from(blob))).toBe(true);
  });
});
