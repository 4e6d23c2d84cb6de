// Golden test: replays frames a real Python OCS agent sent (ocs-wire-transcript.jsonl, recorded
// from FakeDataAgent on autobahn-python 22.7) through the router and checks that their payloads
// reach JSON subscribers and the HTTP bridge with the same JSON text, floats and all
// (ocs-protocol.md 3.4 item 6 and 8.1; the prototype router in the transcript turned 5.0 into 5).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serializers } from '@smurf-ocs/wamp-codec';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Router, startRouter } from '../src/index.js';
import { post, RawClient, quiet } from './helpers.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const transcript = path.resolve(repoRoot, '../shared/specs/ocs-wire-transcript.jsonl');
const frames = readFileSync(transcript, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as { dir?: string; type?: string; raw?: string; conn?: number });
const sent = (type: string): string[] => frames.filter((f) => f.dir === 'rx' && f.type === type).map((f) => f.raw!);

/** Python writes exponents with two digits (`1e-07`), JavaScript without padding (`1e-7`). */
const normalizeExponents = (s: string): string => s.replace(/([0-9])e([+-]?)0*([0-9])/g, '$1e$2$3');
const json = serializers['wamp.2.json'];

let router: Router;
beforeAll(async () => {
  router = await startRouter({ logger: quiet, port: 0 });
});
afterAll(() => router.close());

describe('replayed Python agent traffic (ocs-wire-transcript.jsonl)', () => {
  it('the transcript holds the frames this test replays', () => {
    expect(sent('HELLO').length).toBeGreaterThan(0);
    expect(sent('PUBLISH').length).toBeGreaterThan(10);
    expect(sent('YIELD').length).toBeGreaterThan(10);
  });

  it('delivers every recorded PUBLISH payload text unchanged to a JSON wildcard subscriber', async () => {
    const { client: sub } = await RawClient.join(router.url, 'wamp.2.json');
    sub.send([32, 1, { match: 'wildcard' }, 'observatory..feeds.']);
    await sub.next((m) => m[0] === 33);
    const agent = await RawClient.connect(router.url, 'wamp.2.json');
    agent.sendFrame(sent('HELLO')[0]!);
    await agent.next((m) => m[0] === 2);
    const pubs = sent('PUBLISH');
    for (const frame of pubs) {
      agent.sendFrame(frame);
      await sub.next((m) => m[0] === 36);
      const [, , , topic] = json.decode(frame) as [number, number, object, string];
      const payload = frame.slice(frame.indexOf(',', frame.indexOf(`"${topic}"`)) + 1, -1);
      const event = sub.frames.at(-1) as string;
      expect(event).toBe(`${event.slice(0, event.indexOf('{"topic"'))}{"topic":"${topic}"},${payload}]`);
    }
    expect(router.counters.events).toBeGreaterThanOrEqual(pubs.length);
  });

  it('returns every recorded YIELD through the HTTP bridge as {"args":[value]} with the same JSON text', async () => {
    const agent = await RawClient.connect(router.url, 'wamp.2.json');
    agent.sendFrame(sent('HELLO')[0]!);
    await agent.next((m) => m[0] === 2);
    agent.send([64, 1, {}, 'observatory.fake-data-1.ops']);
    await agent.next((m) => m[0] === 65);
    let floatsSeen = 0;
    for (const frame of sent('YIELD')) {
      const m = /^\[70,\d+,\{\},(\[.*\])\]$/s.exec(frame)!;
      const argsText = m[1]!;
      const pending = post(router.httpUrl, '{"procedure":"observatory.fake-data-1.ops","args":["status","acq"],"kwargs":{}}');
      const inv = await agent.next((x) => x[0] === 68);
      agent.sendFrame(`[70,${inv[1] as number},{},${argsText}]`);
      const res = await pending;
      expect(res.status).toBe(200);
      expect(normalizeExponents(res.text)).toBe(normalizeExponents(`{"args":${argsText}}`));
      if (/[0-9]\.0[,\]}]/.test(argsText)) floatsSeen++;
    }
    // The recording includes integral floats such as "requested_delay":5.0; they must survive.
    expect(floatsSeen).toBeGreaterThan(0);
  });
});
