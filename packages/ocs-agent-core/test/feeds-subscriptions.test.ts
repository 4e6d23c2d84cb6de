/**
 * Feeds and subscriptions between agents (ocs-protocol.md 4.1, 4.4, 4.7), run-time feeds, record
 * validation, and the log file of 6.10.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defineAgent, FeedError, type FeedEvent } from '../src/index.js';
import { startAgent, startRouter, tmpDir, waitFor } from '../src/testing/index.js';
import { fakeDataAgent, mgmt, ops } from './helpers.js';

describe('subscribing to other agents', () => {
  it('exact and wildcard subscriptions receive unpacked envelopes, restored after a router restart', async () => {
    const r1 = await startRouter();
    const port = r1.port;
    const exact: FeedEvent[] = [];
    const wild: FeedEvent[] = [];
    const listener = defineAgent({
      agentClass: 'Listener',
      setup: async ({ agent }) => {
        await agent.subscribe('observatory.faker.feeds.heartbeat', (ev) => exact.push(ev));
        await agent.subscribe('observatory..feeds.heartbeat', (ev) => wild.push(ev), { match: 'wildcard' });
        return {};
      },
      ops: {},
    });
    const base = ['--site', 'none', '--site-hub', r1.url];
    await using faker = await startAgent(fakeDataAgent, [...base, '--instance-id', 'faker']);
    await using lis = await startAgent(listener, [...base, '--instance-id', 'listener']);
    await waitFor(() => exact.length >= 1 && wild.length >= 1, { timeout: 20_000 });
    expect(exact[0]?.feedInfo?.agent_address).toBe('observatory.faker');
    expect(exact[0]?.message).toMatchObject({ acq: 1, count: 1 });
    expect(wild[0]?.topic).toBe('observatory.faker.feeds.heartbeat');
    expect(wild.every((e) => e.feedInfo?.agent_address === 'observatory.faker')).toBe(true); // exclude_me: never its own
    await r1.close();
    await waitFor(() => !lis.handle.connected && !faker.handle.connected);
    await using r2 = await startRouter({ port });
    await waitFor(() => lis.handle.connected && faker.handle.connected, { timeout: 15_000 });
    const n = exact.length;
    await waitFor(() => exact.length > n, { timeout: 20_000 });
    const reply = await lis.handle.callOp('faker', 'status', 'acq');
    expect(reply).toEqual({ status: 0, msg: 'No session active.', session: {} });
    expect(r2.port).toBe(port);
  });
});

describe('numbers from Python peers', () => {
  it('NaN/Infinity tokens in a JSON EVENT parse; integral floats arrive as numbers', async () => {
    const { WebSocket } = await import('ws');
    await using router = await startRouter();
    const got: FeedEvent[] = [];
    const listener = defineAgent({
      agentClass: 'Listener',
      setup: async ({ agent }) => {
        await agent.subscribe('observatory.pyagent.feeds.data', (ev) => got.push(ev));
        return {};
      },
      ops: {},
    });
    await using lis = await startAgent(listener, ['--site', 'none', '--site-hub', router.url, '--instance-id', 'listener']);
    const ws = new WebSocket(router.url, ['wamp.2.json']);
    await new Promise<void>((resolve) => {
      ws.on('open', () => ws.send('[1,"test_realm",{"roles":{"publisher":{}}}]'));
      ws.on('message', () => resolve());
    });
    const info = '{"agent_address":"observatory.pyagent","agg_params":{},"feed_name":"data","address":"observatory.pyagent.feeds.data","record":false,"session_id":"1.5","agent_class":"Py"}';
    ws.send(`[16,1,{},"observatory.pyagent.feeds.data",[[{"a":NaN,"b":Infinity,"c":-Infinity,"d":2.0,"e":3},${info}]]]`);
    await waitFor(() => got.length > 0);
    ws.close();
    expect(got[0]?.message).toEqual({ a: NaN, b: Infinity, c: -Infinity, d: 2, e: 3 });
    expect(got[0]?.feedInfo?.agent_class).toBe('Py');
    expect(lis.handle.connected).toBe(true);
  });
  it('a non-numeric wait timeout fails like Python', async () => {
    await using router = await startRouter();
    await using a = await startAgent(fakeDataAgent, ['--site', 'none', '--site-hub', router.url, '--instance-id', 'faker']);
    await ops(router.httpUrl, a.address, ['start', 'delay_task', { delay: 0.2 }]);
    await expect(ops(router.httpUrl, a.address, ['wait', 'delay_task', {}], { timeout: 'x' })).rejects.toThrow("'<' not supported between instances of 'str' and 'int'");
  });
});

describe('feeds', () => {
  it('run-time feeds appear in get_api after the heartbeat; record validation errors', async () => {
    await using router = await startRouter();
    let err: unknown;
    const agentDef = defineAgent({
      agentClass: 'FeedAgent',
      feeds: { rec: { record: true, bufferTime: 0 } },
      ops: {
        go: {
          kind: 'task',
          start: async ({ agent }) => {
            agent.registerFeed('late_meta');
            try {
              agent.publish('rec', { block_name: 'b', timestamp: 1, data: { 'bad name': 1 } });
            } catch (e) {
              err = e;
            }
            agent.publish('rec', { block_name: 'b', timestamp: 1, data: { a: 1 } });
            try {
              agent.publish('rec', { block_name: 'b', timestamp: 2, data: { a: 1, b: 2 } });
            } catch (e) {
              return [false, (e as Error).message];
            }
            return [true, 'ok'];
          },
        },
      },
    });
    await using a = await startAgent(agentDef, ['--site', 'none', '--site-hub', router.url, '--instance-id', 'feeder']);
    await ops(router.httpUrl, a.address, ['start', 'go', {}]);
    const w = await ops(router.httpUrl, a.address, ['wait', 'go', {}], { timeout: 5 });
    expect((w[2].messages as [number, string][])[2]?.[1]).toBe('Block structure does not match: b');
    expect(err).toBeInstanceOf(FeedError);
    const feeds = (await mgmt(router.httpUrl, a.address, 'get_feeds')) as [string, unknown][];
    expect(feeds.map((f) => f[0])).toEqual(['rec', 'heartbeat', 'late_meta']);
  });

  it('crashing ops and ParamError raised by ops end with CRASH:/ERROR: messages', async () => {
    await using router = await startRouter();
    const { ParamError } = await import('../src/errors.js');
    const agentDef = defineAgent({
      agentClass: 'Crashy',
      ops: {
        boom: { kind: 'task', start: async () => { throw new RangeError('kaput'); } },
        picky: { kind: 'task', start: async () => { throw new ParamError('bad value'); } },
        inf: { kind: 'task', start: async ({ session }) => { session.data = { x: Infinity }; return [true, 'x']; } },
      },
    });
    await using a = await startAgent(agentDef, ['--site', 'none', '--site-hub', router.url, '--instance-id', 'crashy']);
    for (const [op, text] of [['boom', "CRASH: [Failure instance: Traceback: <class 'RangeError'>: kaput]"], ['picky', 'ERROR: bad value']] as const) {
      await ops(router.httpUrl, a.address, ['start', op, {}]);
      const w = await ops(router.httpUrl, a.address, ['wait', op, {}], { timeout: 5 });
      expect(w[2]).toMatchObject({ success: false, op_code: 6 });
      expect((w[2].messages as [number, string][]).at(-2)?.[1]).toBe(text);
    }
    await ops(router.httpUrl, a.address, ['start', 'inf', {}]);
    await expect(ops(router.httpUrl, a.address, ['wait', 'inf', {}], { timeout: 5 })).rejects.toThrow('Session.data cannot store inf/-inf; please convert to NaN.');
  });
});

describe('logging', () => {
  it('--log-dir appends <address>.log with session messages', async () => {
    await using router = await startRouter();
    await using dir = tmpDir();
    await using a = await startAgent(fakeDataAgent, ['--site', 'none', '--site-hub', router.url, '--instance-id', 'faker', '--log-dir', dir.path]);
    await ops(router.httpUrl, a.address, ['start', 'delay_task', { delay: 0 }]);
    await ops(router.httpUrl, a.address, ['wait', 'delay_task', {}], { timeout: 5 });
    const file = join(dir.path, 'observatory.faker.log');
    await waitFor(() => existsSync(file) && readFileSync(file, 'utf8').includes('delay_task:0 Status is now "done".'));
    expect(readFileSync(file, 'utf8')).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{6} /m);
  });
});
