/**
 * Transcript comparison: replay the client requests of ../shared/specs/ocs-wire-transcript.jsonl
 * (captured from the real Python FakeDataAgent) against the TS fake-data agent and compare what
 * the agent puts on the wire (REGISTER order, YIELD/ERROR payloads, heartbeat and feed PUBLISH
 * envelopes, GOODBYE) after normalising ids, times, pid, hostname and random data values.
 */
import { isWampFloat, parseJson } from '@smurf-ocs/wamp-codec';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startAgent, startRouter } from '../src/testing/index.js';
import { fakeDataAgent } from './helpers.js';
import { startWireProxy } from './wire-proxy.js';

const TRANSCRIPT = resolve(import.meta.dirname, '../../../../shared/specs/ocs-wire-transcript.jsonl');
const REPLAY_PHASES = ['agent-startup', 'http-get-api', 'http-get-tasks', 'http-task', 'http-abort', 'http-process', 'wamp-client', 'err-unknown-op', 'err-exception'];

interface Line {
  ev?: string;
  id?: string;
  t?: number;
  dir?: string;
  conn?: number;
  type?: string;
  raw?: string;
  body?: string;
}
type Step = { t: number; phase: string } & ({ kind: 'http'; body: string } | { kind: 'wamp'; raw: string; type: string });

function load(): { steps: Step[]; agentFrames: string[] } {
  const lines = readFileSync(TRANSCRIPT, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line);
  const steps: Step[] = [];
  const agentFrames: string[] = [];
  let phase = '';
  let registered = false;
  for (const l of lines) {
    if (l.ev === 'phase') phase = l.id ?? '';
    if (!REPLAY_PHASES.includes(phase)) continue;
    if (l.dir === 'rx' && l.conn === 1 && l.raw) {
      agentFrames.push(l.raw);
      if (l.type === 'REGISTER') registered = true;
    }
    if (l.ev === 'http_request' && typeof l.body === 'string' && registered) steps.push({ kind: 'http', body: l.body, t: l.t ?? 0, phase });
    if (l.dir === 'rx' && l.conn === 2 && l.raw && l.type !== 'HELLO' && l.type !== 'GOODBYE') steps.push({ kind: 'wamp', raw: l.raw, type: l.type ?? '', t: l.t ?? 0, phase });
  }
  return { steps, agentFrames };
}

const TIME_KEYS = new Set(['instance_pid', 'counter']);

/** Normalise a decoded value: floats -> 'float', ids/pid/hostname/session ids -> placeholders, uniform lists collapsed. */
function norm(v: unknown, key = ''): unknown {
  if (key === 'instance_hostname') return '<host>';
  if (key === 'session_id' && typeof v === 'string') return '<agent-session>';
  if (TIME_KEYS.has(key)) return '<int>';
  if (isWampFloat(v) || (typeof v === 'number' && !Number.isInteger(v))) return 'float';
  if (Array.isArray(v)) {
    const items = v.map((x) => norm(x));
    const first = JSON.stringify(items[0]);
    if (items.length > 1 && items.every((x) => JSON.stringify(x) === first) && items.every((x) => x === 'float')) return ['float...'];
    return items;
  }
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x, k)]));
  return v;
}

/** Normalise a WAMP frame (drop request ids). */
function normFrame(raw: string): unknown {
  const m = parseJson(raw, { lossless: true }) as unknown[];
  const out = [...m];
  if (m[0] === 70 || m[0] === 16 || m[0] === 64 || m[0] === 32 || m[0] === 48) out[1] = '<id>';
  if (m[0] === 8) out[2] = '<id>';
  return norm(out);
}

const kinds = (frames: string[], type: number): string[] => frames.filter((f) => (JSON.parse(f.replace(/NaN|-?Infinity/g, '0')) as unknown[])[0] === type);
const isHeartbeat = (f: string): boolean => f.includes('.feeds.heartbeat"');

async function replay(steps: Step[], httpUrl: string, wsUrl: string): Promise<void> {
  let ws: WebSocket | null = null;
  const waiting = new Map<number, () => void>();
  let prev: Step | undefined;
  for (const step of steps) {
    const gap = prev && prev.phase === step.phase ? Math.min(step.t - prev.t, 2.3) : 0.3;
    await new Promise((r) => setTimeout(r, Math.max(0, gap) * 1000));
    prev = step;
    if (step.kind === 'http') {
      await (await fetch(httpUrl, { method: 'POST', body: new TextEncoder().encode(step.body) })).text();
      continue;
    }
    if (!ws) ws = await openClient(wsUrl, waiting);
    const msg = JSON.parse(step.raw) as unknown[];
    const done = new Promise<void>((r) => waiting.set(msg[1] as number, r));
    ws.send(step.raw);
    await done;
  }
  ws?.close();
}

function openClient(url: string, waiting: Map<number, () => void>): Promise<WebSocket> {
  const ws = new WebSocket(url, ['wamp.2.json']);
  return new Promise((resolve) => {
    ws.on('open', () => ws.send(JSON.stringify([1, 'test_realm', { roles: { caller: {}, subscriber: {} } }])));
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString().replace(/NaN|-?Infinity/g, '0')) as unknown[];
      if (m[0] === 2) resolve(ws);
      if (m[0] === 33 || m[0] === 50) waiting.get(m[1] as number)?.();
      if (m[0] === 8) waiting.get(m[2] as number)?.();
    });
  });
}

describe('wire transcript of the Python FakeDataAgent', () => {
  it('the TS agent puts the same messages on the wire', async () => {
    const { steps, agentFrames: py } = load();
    await using router = await startRouter();
    await using proxy = await startWireProxy(router.url);
    const agent = await startAgent(fakeDataAgent, ['--site', 'none', '--site-hub', proxy.url, '--instance-id', 'fake-data-1', '--frame-length', '10']);
    await replay(steps, router.httpUrl, router.url);
    await agent.close();
    const ts = proxy.frames.filter((f) => f.dir === 'tx').map((f) => f.raw);

    expect(kinds(ts, 64).map(normFrame)).toEqual(kinds(py, 64).map(normFrame));
    expect(normFrame(ts.find(isHeartbeat) ?? '')).toEqual(normFrame(py.find(isHeartbeat) ?? ''));
    const tsReplies = ts.filter((f) => f.startsWith('[70,') || f.startsWith('[8,'));
    const pyReplies = py.filter((f) => f.startsWith('[70,') || f.startsWith('[8,'));
    expect(tsReplies.length).toBe(pyReplies.length);
    pyReplies.forEach((p, i) => expect(normFrame(tsReplies[i] ?? ''), `reply ${i}: ${p.slice(0, 120)}`).toEqual(normFrame(p)));
    const feed = (fs: string[]): unknown[] => fs.filter((f) => f.includes('.feeds.false_temperatures"')).map(normFrame);
    expect(feed(ts).length).toBeGreaterThan(0);
    expect(feed(ts)[0]).toEqual(feed(py)[0]);
    expect(ts.at(-1)).toBe('[6,{},"wamp.close.normal"]');
  });
});
