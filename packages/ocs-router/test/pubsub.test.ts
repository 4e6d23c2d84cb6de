import type { EventDetails } from 'autobahn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Router, startRouter } from '../src/index.js';
import { type AutobahnSerializerName, eventually, joinAutobahn, RawClient, quiet } from './helpers.js';

let router: Router;
beforeAll(async () => {
  router = await startRouter({ logger: quiet, port: 0 });
});
afterAll(() => router.close());

interface Got {
  args: unknown[];
  kwargs: Record<string, unknown>;
  details: EventDetails;
}

describe.each<AutobahnSerializerName>(['json', 'msgpack'])('broker over %s (autobahn-js)', (ser) => {
  it('delivers to exact, prefix and wildcard subscriptions with details.topic', async () => {
    const { session: sub } = await joinAutobahn(router.url, ser);
    const { session: pub } = await joinAutobahn(router.url, ser);
    const got: Record<string, Got[]> = { exact: [], prefix: [], wildcard: [] };
    const feed = `observatory.${ser}-faker.feeds.heartbeat`;
    await sub.subscribe(feed, (args, kwargs, details) => got.exact!.push({ args, kwargs, details }));
    await sub.subscribe(`observatory.${ser}-faker.`, (args, kwargs, details) => got.prefix!.push({ args, kwargs, details }), { match: 'prefix' });
    await sub.subscribe('observatory..feeds.heartbeat', (args, kwargs, details) => got.wildcard!.push({ args, kwargs, details }), { match: 'wildcard' });
    const envelope = [{ acq: 1 }, { feed_name: 'heartbeat', record: false }];
    await pub.publish(feed, [envelope], {}, { acknowledge: true });
    await eventually(() => got.exact!.length === 1 && got.prefix!.length === 1 && got.wildcard!.length === 1);
    expect(got.exact![0]!.args).toEqual([envelope]);
    // autobahn-js fills details.topic from its own subscription when the router omits it; the raw
    // test below checks that exact-subscription EVENTs carry empty details on the wire.
    expect(got.exact![0]!.details.topic).toBe(feed);
    expect(got.prefix![0]!.details.topic).toBe(feed);
    expect(got.wildcard![0]!.details.topic).toBe(feed);
    expect(got.wildcard![0]!.args).toEqual([envelope]);
  });

  it('wildcard requires equal component counts and matching fixed components', async () => {
    const { session: sub } = await joinAutobahn(router.url, ser);
    const { session: pub } = await joinAutobahn(router.url, ser);
    const topics: string[] = [];
    await sub.subscribe(`observatory..feeds.${ser}wc`, (_a, _k, d) => topics.push(d.topic!), { match: 'wildcard' });
    for (const t of [`observatory.a.feeds.${ser}wc`, `observatory.a.b.feeds.${ser}wc`, `observatory.a.feeds.${ser}wc.x`, `observatory.a.feedz.${ser}wc`, `observatory.z.feeds.${ser}wc`]) {
      await pub.publish(t, [1], {}, { acknowledge: true });
    }
    await eventually(() => topics.length >= 2);
    await pub.publish(`observatory.end.feeds.${ser}wc`, [1], {}, { acknowledge: true });
    await eventually(() => topics.length >= 3);
    expect(topics).toEqual([`observatory.a.feeds.${ser}wc`, `observatory.z.feeds.${ser}wc`, `observatory.end.feeds.${ser}wc`]);
  });

  it('excludes the publisher by default, includes it with exclude_me=false', async () => {
    const { session } = await joinAutobahn(router.url, ser);
    const seen: unknown[] = [];
    await session.subscribe(`observatory.${ser}.self`, (args) => seen.push(args[0]));
    await session.publish(`observatory.${ser}.self`, ['excluded'], {}, { acknowledge: true });
    await session.publish(`observatory.${ser}.self`, ['included'], {}, { acknowledge: true, exclude_me: false });
    await eventually(() => seen.length === 1);
    expect(seen).toEqual(['included']);
  });

  it('stops delivering after unsubscribe and after the subscriber leaves', async () => {
    const a = await joinAutobahn(router.url, ser);
    const { session: pub } = await joinAutobahn(router.url, ser);
    const seen: unknown[] = [];
    const s = await a.session.subscribe(`observatory.${ser}.unsub`, (args) => seen.push(args[0]));
    await pub.publish(`observatory.${ser}.unsub`, [1], {}, { acknowledge: true });
    await eventually(() => seen.length === 1);
    await a.session.unsubscribe(s);
    await pub.publish(`observatory.${ser}.unsub`, [2], {}, { acknowledge: true });
    const other = await joinAutobahn(router.url, ser);
    const late: unknown[] = [];
    await other.session.subscribe(`observatory.${ser}.unsub`, (args) => late.push(args[0]));
    await pub.publish(`observatory.${ser}.unsub`, [3], {}, { acknowledge: true });
    await eventually(() => late.length === 1);
    expect(seen).toEqual([1]);
    expect(late).toEqual([3]);
  });
});

describe('broker wire details (raw client)', () => {
  it('omits empty payloads, keeps kwargs, acknowledges with PUBLISHED', async () => {
    const { client: sub } = await RawClient.join(router.url, 'wamp.2.json');
    const { client: pub } = await RawClient.join(router.url, 'wamp.2.json');
    sub.send([32, 1, {}, 'observatory.raw.t']);
    const subscribed = await sub.next((m) => m[0] === 33);
    pub.send([16, 7, {}, 'observatory.raw.t']);
    pub.send([16, 8, { acknowledge: true }, 'observatory.raw.t', [], { k: 1 }]);
    const published = await pub.next((m) => m[0] === 17);
    expect(published[1]).toBe(8);
    const e1 = await sub.next((m) => m[0] === 36);
    const e2 = await sub.next((m) => m[0] === 36);
    expect(e1).toEqual([36, subscribed[2], expect.any(Number), {}]);
    expect(e2).toEqual([36, subscribed[2], published[2], {}, [], { k: 1 }]);
  });

  it('shares one subscription id per (topic, match) across sessions, as crossbar', async () => {
    const { client: a } = await RawClient.join(router.url, 'wamp.2.json');
    const { client: b } = await RawClient.join(router.url, 'wamp.2.msgpack');
    a.send([32, 1, { match: 'wildcard' }, 'observatory..shared']);
    b.send([32, 1, { match: 'wildcard' }, 'observatory..shared']);
    expect((await a.next((m) => m[0] === 33))[2]).toBe((await b.next((m) => m[0] === 33))[2]);
  });

  it('fans one publication out to every subscriber, each in its own serializer', async () => {
    const subs = await Promise.all((['wamp.2.json', 'wamp.2.json', 'wamp.2.msgpack', 'wamp.2.cbor'] as const).map((s) => RawClient.join(router.url, s)));
    for (const { client } of subs) client.send([32, 1, {}, 'observatory.fan.out']);
    for (const { client } of subs) await client.next((m) => m[0] === 33);
    const { client: pub } = await RawClient.join(router.url, 'wamp.2.json');
    pub.sendFrame('[16,1,{},"observatory.fan.out",[1.0,"x"]]');
    for (const { client } of subs) {
      const ev = await client.next((m) => m[0] === 36);
      expect(ev[4]).toEqual([expect.objectContaining({ value: 1 }), 'x']);
    }
  });

  it('answers a not-authorized acknowledged publish with ERROR, and stays silent without acknowledge', async () => {
    const { client } = await RawClient.join(router.url, 'wamp.2.json');
    client.send([16, 1, {}, 'elsewhere.topic', [1]]);
    client.send([16, 2, { acknowledge: true }, 'elsewhere.topic', [1]]);
    const err = await client.next((m) => m[0] === 8);
    expect(err.slice(0, 5)).toEqual([8, 16, 2, {}, 'wamp.error.not_authorized']);
    expect((err[5] as string[])[0]).toContain('is not authorized to publish to topic "elsewhere.topic" on realm "test_realm"');
    expect(client.received.filter((m) => m[0] === 8)).toEqual([]);
  });
});
