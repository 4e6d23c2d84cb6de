/**
 * Acceptance scenarios 16-18 of ocs-protocol.md 11 over WebSocket: autobahn-js clients (JSON and
 * msgpack) and a raw JSON subscriber for byte-level float checks.
 */
import { isWampFloat } from '@smurf-ocs/wamp-codec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAgent } from '../src/index.js';
import { startAgent, waitFor, type TestRouter } from '../src/testing/index.js';
import { startFakeDataSite, type FakeDataSite, ops, rawSubscribe, wampClient } from './helpers.js';

const A = 'observatory.faker';
let router: TestRouter;
let fx: FakeDataSite;
let site: string;
let agent: { close(): Promise<number>; address: string };

beforeAll(async () => {
  fx = await startFakeDataSite();
  ({ router, agent } = fx);
  site = fx.site;
});
afterAll(async () => {
  await fx?.close();
});

const isFloat = (x: unknown): boolean => isWampFloat(x) || (typeof x === 'number' && !Number.isInteger(x));

describe('16. WAMP kwargs and ocs-web conventions', () => {
  for (const ser of ['json', 'msgpack'] as const) {
    it(`status/wait via autobahn-js (${ser})`, async () => {
      await using c = await wampClient(router.url, ser);
      const viaWamp = await c.session.call(`${A}.ops`, ['status', 'acq'], { params: null, timeout: null });
      expect(viaWamp).toEqual(await ops(router.httpUrl, A, ['status', 'acq', {}]));
      expect(await c.session.call(`${A}.ops`, ['status', 'acq', []])).toEqual([0, 'No session active.', {}]);
      const w = (await c.session.call(`${A}.ops`, ['wait', 'acq'], { params: null, timeout: -1 })) as unknown[];
      expect([0, 1]).toContain(w[0]);
      expect(await c.session.call(A, ['get_agent_class'])).toBe('FakeDataAgent');
      await expect(c.session.call(A, ['get_api', 'x'])).rejects.toMatchObject({
        error: 'wamp.error.runtime_error',
        args: ['OCSAgent._management_handler() takes 2 positional arguments but 3 were given'],
      });
    });
  }
  it('start with params as kwargs (client_t / call_op) and stop with params=[]', async () => {
    await using c = await wampClient(router.url, 'msgpack');
    const r = (await c.session.call(`${A}.ops`, ['start', 'count'], { params: {}, timeout: null })) as [number, string, Record<string, unknown>];
    expect(r.slice(0, 2)).toEqual([0, 'Started process "count".']);
    await waitFor(async () => ((await ops(router.httpUrl, A, ['status', 'count', {}]))[2].status === 'running'));
    const s = (await c.session.call(`${A}.ops`, ['stop', 'count', []])) as [number, string, Record<string, unknown>];
    expect(s[1]).toBe('Requested stop on process count".');
    expect(s[2].status).toBe('stopping');
    const w = (await c.session.call(`${A}.ops`, ['wait', 'count'], { params: null, timeout: 5 })) as [number, string];
    expect(w[1]).toBe('Operation "count" is currently not running (SUCCEEDED).');
  });
});

describe('17. heartbeat', () => {
  // Review item: this used to assert a mean beat gap of 700-1300 ms, which fails on a loaded
  // machine. Tests never fail on wall-clock time; the 1 Hz rate and its jitter are measured by
  // bench/core-status.ts. Here: several beats arrive as separate publications, every one
  // well-formed, with the same feed_info.
  it('wildcard subscription sees repeated heartbeat envelopes with op codes', async () => {
    await using c = await wampClient(router.url, 'json');
    const events: { args: unknown[]; kwargs: Record<string, unknown>; topic: string | undefined; publication: number | undefined }[] = [];
    await c.session.subscribe('observatory..feeds.heartbeat', (args, kwargs, details) => events.push({ args, kwargs, topic: details.topic, publication: details.publication }), { match: 'wildcard' });
    await waitFor(() => events.length >= 4, { timeout: 30_000 }); // liveness bound only
    expect(new Set(events.map((e) => e.publication)).size).toBe(events.length); // one publication per beat
    const firstInfo = (events[0]?.args[0] as unknown[])[1];
    for (const ev of events) {
      expect(typeof ev.publication).toBe('number');
      expect(ev.args.length).toBe(1);
      expect(ev.kwargs ?? {}).toEqual({});
      expect(ev.topic).toBe(`${A}.feeds.heartbeat`);
      const [codes, info] = ev.args[0] as [Record<string, number>, Record<string, unknown>];
      expect(Object.keys(codes)).toEqual(['acq', 'count', 'set_heartbeat', 'delay_task']);
      for (const v of Object.values(codes)) expect(Number.isInteger(v)).toBe(true);
      expect(info).toMatchObject({ feed_name: 'heartbeat', record: false, agg_params: {}, address: `${A}.feeds.heartbeat`, agent_class: 'FakeDataAgent' });
      expect(typeof info.session_id).toBe('string');
      expect(info).toEqual(firstInfo); // same agent process: identical feed_info on every beat
    }
  });

  it('set_heartbeat false stops heartbeats, true resumes', async () => {
    await using c = await wampClient(router.url, 'json');
    let n = 0;
    await c.session.subscribe(`${A}.feeds.heartbeat`, () => void n++);
    await ops(router.httpUrl, A, ['start', 'set_heartbeat', { heartbeat: false }]);
    const w = await ops(router.httpUrl, A, ['wait', 'set_heartbeat', {}], { timeout: null });
    expect((w[2].messages as [number, string][])[2]?.[1]).toBe('Set heartbeat_on: False');
    // A call over the same session drains beats published before heartbeats went off (the router
    // forwards the agent's frames in order), so a late-arriving beat cannot miscount. The pause
    // is only an observation window: a slow machine cannot make this fail.
    await c.session.call(`${A}.ops`, ['status', 'set_heartbeat'], { params: null, timeout: null });
    const n0 = n;
    await new Promise((r) => setTimeout(r, 1500));
    expect(n).toBe(n0);
    await ops(router.httpUrl, A, ['start', 'set_heartbeat', {}]);
    await waitFor(() => n > n0, { timeout: 30_000 }); // liveness bound only
  });
});

describe('18. record feed envelope and typing', () => {
  it('false_temperatures events carry floats (msgpack client) and the feed_info', async () => {
    await using c = await wampClient(router.url, 'msgpack');
    const events: unknown[][] = [];
    await c.session.subscribe(`${A}.feeds.false_temperatures`, (args) => events.push(args));
    await ops(router.httpUrl, A, ['start', 'acq', {}]);
    await waitFor(() => events.length >= 2, { timeout: 30_000 }); // liveness bound only
    await ops(router.httpUrl, A, ['stop', 'acq', {}]);
    await ops(router.httpUrl, A, ['wait', 'acq', {}], { timeout: 10 });
    const sessionIds = new Set<string>();
    for (const args of events) {
      expect(args.length).toBe(1);
      const [data, info] = args[0] as [Record<string, { block_name: string; data: Record<string, unknown[]>; timestamps: unknown[] }>, Record<string, unknown>];
      expect(info).toMatchObject({ record: true, agg_params: { frame_length: 60 }, feed_name: 'false_temperatures' });
      sessionIds.add(String(info.session_id));
      const block = data.temps;
      expect(block?.block_name).toBe('temps');
      for (const ts of block?.timestamps ?? []) expect(isFloat(ts)).toBe(true);
      for (const col of Object.values(block?.data ?? {})) {
        expect(col.length).toBe(block?.timestamps.length);
        for (const v of col) expect(isFloat(v)).toBe(true);
      }
    }
    expect(sessionIds.size).toBe(1);
  });

  it('integral floats go out as 2.0, declared int fields as ints (raw JSON bytes)', async () => {
    const probe = defineAgent({
      agentClass: 'ProbeAgent',
      feeds: { probe: { record: true, intFields: ['n'] }, plain: {} },
      ops: {
        pub: {
          kind: 'task',
          start: async ({ agent }) => {
            agent.publish('probe', { block_name: 'b', timestamp: 1700000000, data: { x: 2, n: 3, s: 'a', flag: true } });
            agent.publish('plain', { v: 1 });
            return [true, 'published'];
          },
        },
      },
    });
    await using p = await startAgent(probe, ['--site', 'none', '--instance-id', 'probe1', '--site-hub', router.url]);
    await using sub = await rawSubscribe(router.url, 'observatory.probe1.feeds.', { match: 'prefix' });
    await ops(router.httpUrl, p.address, ['start', 'pub', {}]);
    await waitFor(() => sub.events.length >= 2);
    const raws = sub.events.map((e) => e.raw).join('\n');
    expect(raws).toContain('{"b":{"block_name":"b","data":{"x":[2.0],"n":[3],"s":["a"],"flag":[true]},"timestamps":[1700000000.0]}}');
    expect(raws).toContain('[[{"v":1},{"agent_address":"observatory.probe1","agg_params":{},"feed_name":"plain"');
  });
});
