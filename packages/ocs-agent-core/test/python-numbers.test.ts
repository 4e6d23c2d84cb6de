/**
 * Numbers between a TS agent and a real Python WAMP peer (ocs-protocol.md 8.1), both ways:
 * a Python publisher's 5.0 / NaN / ±inf / 2**62 reach `agent.subscribe` handlers as 5, NaN,
 * ±Infinity and a bigint; the agent's `float(2)`, integral record-feed timestamps and values
 * reach Python as floats, `intFields` and bigints as ints. Python over cbor, msgpack and json;
 * the agent on its default serializer. Also `callOp` from the TS agent into a Python callee with
 * the OCS ops-handler signature.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineAgent, float, type FeedEvent, type OcsReply } from '../src/index.js';
import { requirePythonAutobahn, runPythonPeer, startAgent, startRouter, waitFor, type TestRouter } from '../src/testing/index.js';

const PY_TOPIC = 'observatory.pypeer.feeds.data';
const script = path.join(import.meta.dirname, 'fixtures/python/numbers_peer.py');
const received: FeedEvent[] = [];
const relayed: OcsReply[] = [];

/** Subscribes to the Python peer's feed; `emit` publishes on a plain and a record feed. */
const numbersAgent = defineAgent({
  agentClass: 'NumbersAgent',
  feeds: { out: {}, rec: { record: true, bufferTime: 0, intFields: ['n'] } },
  setup: async ({ agent }) => {
    await agent.subscribe(PY_TOPIC, (ev) => received.push(ev));
    return {};
  },
  ops: {
    emit: {
      kind: 'task',
      start: async ({ agent, params, session }) => {
        session.data = { nan: NaN, two: float(2), three: 3, half: 0.5 }; // NaN -> None at encode time (2.4)
        const tag = (params as { tag?: string } | null)?.tag ?? '';
        agent.publish('out', { two: float(2), three: 3, half: 0.5, big: 2n ** 62n, nan: NaN, inf: Infinity, tag });
        agent.publish('rec', { block_name: 'ints', timestamps: [1700000000, 1700000001.5], data: { x: [2, 3.5], n: [1, 2], big: [2n ** 62n, 5n] } });
        return [true, 'emitted'];
      },
    },
    relay: {
      kind: 'task',
      start: async ({ agent }) => {
        relayed.push(await agent.callOp('pyagent', 'start', 'thing', { delay: float(1), n: 2, half: 0.5, big: 2n ** 62n }));
        relayed.push(await agent.callOp('pyagent', 'wait', 'thing', null, 0.5));
        return [true, 'relayed'];
      },
    },
  },
});

let router: TestRouter;
let agent: { close(): Promise<number>; address: string };

beforeAll(async () => {
  await requirePythonAutobahn();
  router = await startRouter();
  // `ready` waits for the router to confirm the startup subscriptions (6.5), so Python's first
  // publish is received without a probe.
  agent = await startAgent(numbersAgent, ['--site', 'none', '--site-hub', router.url, '--instance-id', 'numbers']);
});
afterAll(async () => {
  await agent?.close();
  await router?.close();
});

describe.each(['cbor', 'msgpack', 'json'])('autobahn-python over %s <-> TS agent', (ser) => {
  it('Python floats, NaN, inf and 2**62 arrive intact; TS float(2) and record fields arrive as Python floats', async () => {
    const v = await runPythonPeer(script, [router.url, ser, agent.address]);
    expect(v.failure).toBeUndefined();
    expect(v.serializer).toBe(ser);
    // Python -> TS subscription
    const ev = await waitFor(() => received.find((e) => (e.message as { data?: { tag?: string } }).data?.tag === ser));
    expect(ev.args).toHaveLength(1);
    expect(ev.kwargs).toEqual({});
    expect(ev.topic).toBe(PY_TOPIC);
    expect(ev.feedInfo).toMatchObject({ agent_address: 'observatory.pypeer', record: true, session_id: '1700000000.5', agent_class: 'PyPeer' });
    const msg = ev.message as { timestamp: unknown; data: Record<string, unknown> };
    expect(msg.timestamp).toBe(5);
    const d = msg.data;
    expect([typeof d.f, d.f]).toEqual(['number', 5]);
    expect(Number.isNaN(d.nan)).toBe(true);
    expect([d.inf, d.ninf]).toEqual([Infinity, -Infinity]);
    expect([typeof d.big, d.big]).toEqual(['bigint', 2n ** 62n]);
    expect([typeof d.i, d.i]).toEqual(['number', 7]);
    // TS -> Python publish
    expect(v.emit).toEqual([0, 'Started task "emit".']);
    expect(v.emit_wait).toEqual([0, 'Operation "emit" is currently not running (SUCCEEDED).']);
    expect(v.emit_data).toEqual({ nan: ['NoneType', null], two: ['float', 2], three: ['int', 3], half: ['float', 0.5] });
    expect(v.out_shape).toEqual([1, []]);
    expect(v.out).toEqual({ two: ['float', 2], three: ['int', 3], half: ['float', 0.5], big: ['int', '4611686018427387904'], nan: ['float', 'nan'], inf: ['float', 'inf'], tag: ['str', ser] });
    expect(v.out_big_exact).toBe(true);
    expect(v.rec_shape).toEqual([1, []]);
    expect(v.rec_timestamps).toEqual([['float', 1700000000], ['float', 1700000001.5]]);
    expect(v.rec).toEqual({ x: [['float', 2], ['float', 3.5]], n: [['int', 1], ['int', 2]], big: [['int', '4611686018427387904'], ['int', 5]] });
    expect(v.rec_big_exact).toBe(true);
  });
});

describe('TS callOp -> Python ops handler (call_op convention, 2.2)', () => {
  it('the Python signature accepts the call; params keep float/int; the reply decodes to numbers and bigints', async () => {
    const v = await runPythonPeer(path.join(import.meta.dirname, 'fixtures/python/ops_callee.py'), [router.url, 'cbor', agent.address]);
    expect(v.failure).toBeUndefined();
    expect(v.relay_start).toEqual([0, 'Started task "relay".']);
    expect(v.relay_wait).toEqual([0, 'Operation "relay" is currently not running (SUCCEEDED).']);
    expect(v.relay_messages).toContain('relayed');
    expect(v.calls).toEqual([
      { action: 'start', op_name: 'thing', password: null, params: { delay: ['float', 1], n: ['int', 2], half: ['float', 0.5], big: ['int', '4611686018427387904'] }, timeout: ['NoneType', null] },
      { action: 'wait', op_name: 'thing', password: null, params: 'NoneType', timeout: ['float', 0.5] },
    ]);
    expect(relayed).toHaveLength(2);
    const [start, wait] = relayed;
    expect([start?.status, start?.msg]).toEqual([0, 'Started task "thing".']);
    expect(start?.session).toMatchObject({ session_id: 3, op_code: 2, start_time: 1700000000, end_time: null, messages: [[1700000000, 'Status is now "starting".']] });
    const data = start?.session.data as Record<string, unknown>;
    expect([typeof data.big, data.big, Number.isNaN(data.nan), typeof data.two, data.two]).toEqual(['bigint', 2n ** 62n, true, 'number', 2]);
    expect([wait?.status, wait?.msg]).toEqual([1, 'Operation "thing" still running; wait timed out.']);
  });
});
