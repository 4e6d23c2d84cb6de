/**
 * Review item: startup subscriptions were fired without waiting in onJoin, so `ready` and the
 * `registered` log line could come before the router confirmed them (first events missed).
 * Now they are awaited (in parallel) first; a failed one logs and leaves (ocs-protocol.md 4.7).
 */
import { describe, expect, it } from 'vitest';
import { createAgent, defineAgent, type FeedEvent } from '../src/index.js';
import { startRouter, waitFor } from '../src/testing/index.js';
import { wampClient } from './helpers.js';
import { startWireProxy } from './wire-proxy.js';

const SUBSCRIBED = 33;

/** Captures the agent's JSON log lines. */
function logSink(): { lines: Record<string, unknown>[]; write: (s: string) => void } {
  const lines: Record<string, unknown>[] = [];
  return { lines, write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) };
}

describe('startup subscriptions are confirmed before ready', () => {
  it('ready and the registered log line wait for every SUBSCRIBED; the first event is received', async () => {
    await using router = await startRouter();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const isSubscribed = (raw: string): boolean => (JSON.parse(raw) as unknown[])[0] === SUBSCRIBED;
    await using proxy = await startWireProxy(router.url, { beforeRx: (raw) => (isSubscribed(raw) ? gate : undefined) });
    const held = (): number => proxy.frames.filter((f) => f.dir === 'rx' && isSubscribed(f.raw)).length;
    const got: FeedEvent[] = [];
    const def = defineAgent({
      agentClass: 'Listener',
      setup: async ({ agent }) => {
        await agent.subscribe('observatory.src.feeds.a', (ev) => got.push(ev));
        await agent.subscribe('observatory..feeds.b', (ev) => got.push(ev), { match: 'wildcard' });
        return {};
      },
      ops: {},
    });
    const sink = logSink();
    const agent = await createAgent(def, ['--site', 'none', '--site-hub', proxy.url, '--instance-id', 'lis'], { env: { LOGLEVEL: 'info' }, logDestination: sink });
    try {
      let ready = false;
      void agent.ready.then(() => (ready = true));
      // Both SUBSCRIBEs went out in parallel and both SUBSCRIBED replies are held by the proxy.
      await waitFor(() => held() === 2);
      await new Promise((r) => setImmediate(r));
      expect(ready).toBe(false);
      expect(sink.lines.some((l) => l.msg === 'registered')).toBe(false);
      release();
      await agent.ready;
      expect(sink.lines.some((l) => l.msg === 'registered')).toBe(true);
      // Published right after ready: must be delivered (the subscription is live at the router).
      await using pub = await wampClient(router.url);
      const info = { agent_address: 'observatory.src', agg_params: {}, feed_name: 'a', address: 'observatory.src.feeds.a', record: false, session_id: '1.5', agent_class: 'Src' };
      await pub.session.publish('observatory.src.feeds.a', [[{ n: 1 }, info]], {}, { acknowledge: true });
      await waitFor(() => got.length === 1);
      expect(got[0]?.message).toEqual({ n: 1 });
    } finally {
      await agent.close();
    }
  });

  it('a failed startup subscription logs and leaves; the agent never reports registered', async () => {
    await using router = await startRouter();
    const def = defineAgent({
      agentClass: 'Listener',
      setup: async ({ agent }) => {
        await agent.subscribe('forbidden.topic', () => undefined); // not under the address root
        return {};
      },
      ops: {},
    });
    const sink = logSink();
    const agent = await createAgent(def, ['--site', 'none', '--site-hub', router.url, '--instance-id', 'lis'], { env: { LOGLEVEL: 'info' }, logDestination: sink });
    try {
      let ready = false;
      void agent.ready.then(() => (ready = true));
      await waitFor(() => sink.lines.some((l) => l.msg === 'session left'), { timeout: 10_000 });
      const failed = sink.lines.find((l) => l.msg === 'subscribe failed; leaving');
      expect(failed).toMatchObject({ topic: 'forbidden.topic', error: 'wamp.error.not_authorized' });
      expect(sink.lines.some((l) => l.msg === 'registered')).toBe(false);
      expect(ready).toBe(false);
    } finally {
      await agent.close();
    }
  });
});
