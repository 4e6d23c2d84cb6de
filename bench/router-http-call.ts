/**
 * ocs-router HTTP caller bridge: calls/s and latency percentiles of `POST /call` to a simple
 * procedure registered by an autobahn-js session (JSON serializer, as agents use), sequential
 * (one client, like OCSClient) and with 16 concurrent clients. A direct WAMP call from an
 * autobahn-js caller is measured in the same run as the reference.
 */
import { createRequire } from 'node:module';
import { startRouter } from '../packages/ocs-router/src/index.js';

// autobahn is a devDependency of ocs-router; resolve it from there.
const require = createRequire(new URL('../packages/ocs-router/package.json', import.meta.url));
const autobahn = require('autobahn') as {
  Connection: new (o: object) => { onopen: (s: WampSession) => void; open(): void; close(): void };
};
interface WampSession {
  register(uri: string, fn: (args: unknown[]) => unknown): Promise<unknown>;
  call(uri: string, args: unknown[]): Promise<unknown>;
}

async function join(url: string): Promise<{ session: WampSession; close(): void }> {
  const c = new autobahn.Connection({ url, realm: 'test_realm', max_retries: 0 });
  const session = await new Promise<WampSession>((resolve) => {
    c.onopen = resolve;
    c.open();
  });
  return { session, close: () => c.close() };
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function measure(label: string, total: number, concurrency: number, once: () => Promise<void>): Promise<void> {
  for (let i = 0; i < 200; i++) await once();
  const lat: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < total) {
        const t = performance.now();
        await once();
        lat.push(performance.now() - t);
      }
    }),
  );
  const secs = (performance.now() - start) / 1000;
  lat.sort((a, b) => a - b);
  process.stdout.write(
    `  ${label.padEnd(36)} ${(total / secs).toFixed(0).padStart(6)} calls/s  p50 ${pct(lat, 50).toFixed(2)} ms  p99 ${pct(lat, 99).toFixed(2)} ms\n`,
  );
}

const router = await startRouter({ port: 0 });
const callee = await join(router.url);
const caller = await join(router.url);
await callee.session.register('observatory.bench.status', (args) => [0, 'Session active.', { op_name: args[0], status: 'running', start_time: 1700000000.5, data: { n: 1 } }]);
const body = Buffer.from(JSON.stringify({ procedure: 'observatory.bench.status', args: ['acq'], kwargs: {} }));
const http = async (): Promise<void> => {
  const res = await fetch(router.httpUrl, { method: 'POST', body });
  if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
  await res.arrayBuffer();
};
const wamp = async (): Promise<void> => {
  await caller.session.call('observatory.bench.status', ['acq']);
};

process.stdout.write('ocs-router, one callee (autobahn-js JSON)\n');
await measure('HTTP /call, sequential', 3000, 1, http);
await measure('HTTP /call, 16 concurrent', 6000, 16, http);
await measure('WAMP call (autobahn-js), sequential', 3000, 1, wamp);
await measure('WAMP call (autobahn-js), 16 concurrent', 6000, 16, wamp);
caller.close();
callee.close();
await router.close();
