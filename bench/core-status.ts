/**
 * ocs-agent-core: `status` calls/s through the HTTP bridge (sequential, like OCSClient, and 8
 * concurrent clients) with p50/p99 latency, then the heartbeat jitter (p99 of |interval - 1 s|,
 * seen by a WAMP subscriber) while the agent publishes 1000 msg/s on a feed.
 *
 * Env: BENCH_CALLS (default 2000), BENCH_HEARTBEATS (default 20).
 */
import { createRequire } from 'node:module';
import { defineAgent } from '../packages/ocs-agent-core/src/index.js';
import { startAgent, startRouter } from '../packages/ocs-agent-core/src/testing/index.js';

const require = createRequire(new URL('../packages/ocs-agent-core/package.json', import.meta.url));
const autobahn = require('autobahn') as {
  Connection: new (o: object) => { onopen: (s: WampSession) => void; open(): void; close(): void };
};
interface WampSession {
  subscribe(topic: string, fn: (args: unknown[]) => void): Promise<unknown>;
}

const CALLS = Number(process.env.BENCH_CALLS ?? 2000);
const BEATS = Number(process.env.BENCH_HEARTBEATS ?? 20);

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const benchAgent = defineAgent({
  agentClass: 'BenchAgent',
  feeds: { fast: {} },
  ops: {
    pump: {
      kind: 'process',
      blocking: false,
      start: async ({ agent, signal, session }) => {
        let n = 0;
        const t0 = performance.now();
        while (!signal.aborted) {
          const due = Math.floor((performance.now() - t0)); // 1 message per ms
          for (; n < due; n++) agent.publish('fast', { i: n, v: 0.5 });
          session.data = { sent: n };
          await new Promise((r) => setTimeout(r, 5));
        }
        return [true, `sent ${n}`];
      },
    },
  },
});

async function statusRun(httpUrl: string, clients: number, calls: number): Promise<{ rate: number; p50: number; p99: number }> {
  const body = new TextEncoder().encode(JSON.stringify({ procedure: 'observatory.bench.ops', args: ['status', 'pump', {}], kwargs: {} }));
  const lat: number[] = [];
  let left = calls;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (left-- > 0) {
        const s = performance.now();
        const r = await fetch(httpUrl, { method: 'POST', body });
        await r.text();
        lat.push(performance.now() - s);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  return { rate: calls / secs, p50: pct(lat, 50), p99: pct(lat, 99) };
}

const fmt = (r: { rate: number; p50: number; p99: number }): string => `${r.rate.toFixed(0)} calls/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms`;

const router = await startRouter();
const agent = await startAgent(benchAgent, ['--site', 'none', '--site-hub', router.url, '--instance-id', 'bench']);
await statusRun(router.httpUrl, 1, 200); // warm-up
console.log(`status via HTTP bridge, 1 client:  ${fmt(await statusRun(router.httpUrl, 1, CALLS))}`);
console.log(`status via HTTP bridge, 8 clients: ${fmt(await statusRun(router.httpUrl, 8, CALLS))}`);

const conn = new autobahn.Connection({ url: router.url, realm: 'test_realm', max_retries: 0 });
const session = await new Promise<WampSession>((resolve) => {
  conn.onopen = resolve;
  conn.open();
});
const beats: number[] = [];
let fastCount = 0;
await session.subscribe('observatory.bench.feeds.heartbeat', () => beats.push(performance.now()));
await session.subscribe('observatory.bench.feeds.fast', () => void fastCount++);
await fetch(router.httpUrl, { method: 'POST', body: new TextEncoder().encode(JSON.stringify({ procedure: 'observatory.bench.ops', args: ['start', 'pump', {}] })) });
const tStart = performance.now();
const c0 = fastCount;
while (beats.length < BEATS + 1) await new Promise((r) => setTimeout(r, 100));
const fastRate = ((fastCount - c0) / (performance.now() - tStart)) * 1000;
console.log(`status via HTTP bridge while publishing, 1 client: ${fmt(await statusRun(router.httpUrl, 1, Math.min(CALLS, 1000)))}`);
const intervals = beats.slice(1).map((t, i) => t - (beats[i] ?? t));
const meanInterval = intervals.reduce((a, b) => a + b, 0) / intervals.length;
const jitter = intervals.map((d) => Math.abs(d - 1000)).sort((a, b) => a - b);
console.log(`feed delivered to subscriber: ${fastRate.toFixed(0)} msg/s (target 1000)`);
console.log(`heartbeat mean interval over ${intervals.length} intervals: ${meanInterval.toFixed(1)} ms (target 1000; was a test assertion, now measured here)`);
console.log(`heartbeat jitter over ${jitter.length} intervals: p50 ${pct(jitter, 50).toFixed(2)} ms, p99 ${pct(jitter, 99).toFixed(2)} ms, max ${jitter.at(-1)?.toFixed(2)} ms`);
conn.close();
await agent.close();
await router.close();
