/**
 * Scenario 18 of ocs-protocol.md 11 with a real Python subscriber (autobahn-python 22.7.1 from
 * Debian, the OCS transcript's version): the TS fake-data agent's record feed
 * `false_temperatures` seen over cbor, msgpack and json. The type checks run in Python
 * (test/fixtures/python/record_feed.py), so they see exactly what the aggregator would.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePythonAutobahn, runPythonPeer, startAgent, startRouter, tmpDir, waitFor, writeSiteConfig, type TestRouter, type TmpDir } from '../src/testing/index.js';
import { fakeDataAgent, mgmt } from './helpers.js';

const A = 'observatory.faker';
const script = path.join(import.meta.dirname, 'fixtures/python/record_feed.py');
let router: TestRouter;
let dir: TmpDir;
let agent: { close(): Promise<number>; handle: { connected: boolean } };

beforeAll(async () => {
  await requirePythonAutobahn();
  router = await startRouter();
  dir = tmpDir();
  const site = writeSiteConfig(dir.path, { hubUrl: router.url, httpUrl: router.httpUrl, instances: [{ agentClass: 'FakeDataAgent', instanceId: 'faker' }] });
  agent = await startAgent(fakeDataAgent, ['--site-file', site, '--instance-id', 'faker']);
});
afterAll(async () => {
  await agent?.close();
  await router?.close();
  await dir?.[Symbol.asyncDispose]();
});

describe('18. record feed envelope and typing, checked by autobahn-python', () => {
  const sessionIds = new Set<unknown>();
  it.each(['cbor', 'msgpack', 'json'])('over %s', async (ser) => {
    const v = await runPythonPeer(script, [router.url, ser, A, '2'], { timeoutMs: 50_000 });
    expect(v.failure).toBeUndefined();
    expect(v.serializer).toBe(ser);
    expect(v.start).toEqual([0, 'Started process "acq".']);
    expect(v.got_events).toBe(true);
    expect(v.stop).toEqual([0, 'Requested stop on process acq".']);
    expect(v.wait).toEqual([0, 'Operation "acq" is currently not running (SUCCEEDED).']);
    expect(v.events).toBeGreaterThanOrEqual(2);
    expect(v.problems).toEqual([]);
    const stats = v.stats as { timestamps: number; values: number };
    expect(stats.timestamps).toBeGreaterThan(0);
    expect(stats.values).toBe(2 * stats.timestamps); // two channels, one value per timestamp each
    expect(Object.keys(v.feed_info as object)).toEqual(['agent_address', 'agg_params', 'feed_name', 'address', 'record', 'session_id', 'agent_class']);
    expect(v.feed_info).toMatchObject({ agent_address: A, feed_name: 'false_temperatures', address: `${A}.feeds.false_temperatures`, record: true, agent_class: 'FakeDataAgent' });
    expect(v.feed_info_types).toMatchObject({ record: 'bool', session_id: 'str', agg_params: 'dict' });
    expect(v.agg_params_ok).toBe(true);
    expect(v.frame_length_type).toBe('int'); // Python FakeData: int(args.frame_length)
    const ids = v.session_ids as string[];
    expect(ids).toHaveLength(1); // unchanged across events
    ids.forEach((id) => sessionIds.add(id));
    expect(sessionIds.size).toBe(1); // and across subscribers/serializers (one agent process)
  });
  it('feed_info.session_id is unchanged across a router restart', async () => {
    const feeds = (await mgmt(router.httpUrl, A, 'get_feeds')) as [string, { session_id: string }][];
    const before = feeds[0]?.[1].session_id;
    const port = router.port;
    await router.close();
    await waitFor(() => !agent.handle.connected);
    router = await startRouter({ port });
    await waitFor(() => agent.handle.connected, { timeout: 30_000, what: 'agent rejoined the restarted router' });
    const v = await runPythonPeer(script, [router.url, 'cbor', A, '1'], { timeoutMs: 50_000 });
    expect(v.failure).toBeUndefined();
    expect(v.problems).toEqual([]);
    expect(typeof before).toBe('string');
    expect(v.session_ids).toEqual([before]);
  });
});
