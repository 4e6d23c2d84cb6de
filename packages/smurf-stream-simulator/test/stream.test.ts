import { FrameType, G3NetworkSender, G3TimestreamMap } from '@smurf-ocs/g3-frame';
import { afterEach, describe, expect, it } from 'vitest';
import { StreamLoop } from '../src/stream.js';
import { Collector } from './helpers.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function setup(opts: { numChans?: number } = {}) {
  const sender = await G3NetworkSender.listen({ port: 0, host: '127.0.0.1' });
  cleanups.push(() => sender.destroy());
  const loop = new StreamLoop(sender, { numChans: opts.numChans ?? 4, streamId: 'stream_sim', sampleRate: 200, frameRate: 20, idlePeriodMs: 100 });
  return { sender, loop };
}

async function connect(sender: G3NetworkSender): Promise<Collector> {
  const c = await Collector.connect(sender.port, () => sender);
  cleanups.push(() => c.close());
  return c;
}

const count = (re: RegExp) => (t: string[]) => t.filter((x) => re.test(x)).length;

describe('StreamLoop on the wire (suprsync-recorder.md §B7, C2.21)', () => {
  it('sends START, Observation, ALIVE+Scan per period, then END and CLEANSE, then ALIVEs', async () => {
    const { sender, loop } = await setup();
    const client = await connect(sender);
    const run = loop.run();

    await client.waitFor((t) => count(/^S/)(t) >= 3, '3 Scans');
    expect(loop.queue.requestEnd(loop.streaming, false)).toBe(true);
    await client.waitFor((t) => t.includes('W3') && t.at(-1) === 'N0' && t.at(-2) !== 'W3', 'END, CLEANSE and an ALIVE');
    expect(loop.streaming).toBe(false);
    loop.queue.requestShutdown(loop.streaming);
    await run;

    expect(client.tokens).toMatch(/^N1 O (N0 S\d+ )+N2 O3 W3( N0)+$/);
    const scans = client.frames.filter((f) => f.type === FrameType.Scan);
    expect(scans.map((f) => Number(f.getInt('frame_num')))).toEqual(scans.map((_, i) => i));
    const obs = client.frames[1]!;
    expect(obs.getString('sostream_id')).toBe('stream_sim');
    expect(obs.getInt('session_id')).toBe(0n);
    for (const s of scans) {
      expect(s.getString('sostream_id')).toBe('stream_sim');
      const data = s.get('data') as G3TimestreamMap;
      expect([...data.value.keys()]).toEqual(['r0000', 'r0001', 'r0002', 'r0003']);
      expect(data.value.get('r0003')!.nSamples).toBe(10);
    }
    // Scan i covers [start_i, start_i + 50 ms): the next one never starts earlier.
    const starts = scans.map((s) => (s.get('data') as G3TimestreamMap).value.get('r0000')!.start);
    for (let i = 1; i < starts.length; i++) {
      const step = starts[i]! - starts[i - 1]!;
      expect(step >= 5_000_000n && step % 5_000_000n === 0n ? 'on schedule' : step).toBe('on schedule');
    }
    expect(loop.stats.framesSent).toMatchObject({ start: 1, observation: 1, end: 1, cleanse: 2, scan: scans.length });
  });

  it('restarts with a new START/Observation and keeps counting frame_num; process stop ends after END', async () => {
    const { sender, loop } = await setup();
    const client = await connect(sender);
    const run = loop.run();
    await client.waitFor((t) => count(/^S/)(t) >= 1, 'a Scan');
    loop.queue.requestEnd(loop.streaming, false);
    await client.waitFor((t) => t.includes('W3'), 'CLEANSE');
    expect(loop.queue.requestStart(loop.streaming, false)).toBe(true);
    await client.waitFor((t) => count(/^N1$/)(t) === 2 && t.slice(t.lastIndexOf('N1')).some((x) => x.startsWith('S')), 'second START and a Scan');
    loop.queue.requestShutdown(loop.streaming); // streaming: END then SHUTDOWN
    await run;
    await sender.close();
    await client.done;
    expect(client.tokens).toMatch(/^N1 O (N0 S\d+ )+N2 O3 W3( N0)+ N1 O (N0 S\d+ )+N2 O3 W3$/);
    const nums = client.frames.filter((f) => f.type === FrameType.Scan).map((f) => Number(f.getInt('frame_num')));
    expect(nums).toEqual(nums.map((_, i) => i));
  });

  it('a forced END while stopped is sent and does not block the process stop (§B7 [FLAW] fixed)', async () => {
    const { sender, loop } = await setup();
    const client = await connect(sender);
    const run = loop.run();
    await client.waitFor((t) => count(/^S/)(t) >= 1, 'a Scan');
    loop.queue.requestEnd(loop.streaming, false);
    await client.waitFor((t) => t.includes('W3'), 'CLEANSE');
    expect(loop.queue.requestEnd(loop.streaming, true)).toBe(true);
    loop.queue.requestShutdown(loop.streaming);
    await run;
    await sender.close();
    await client.done;
    expect(client.tokens).toMatch(/N2 O3 W3( N0)+ N2 O3 W3$/);
  });

  it('a hard abort ends the loop without END', async () => {
    const { sender, loop } = await setup();
    const client = await connect(sender);
    const ac = new AbortController();
    const run = loop.run(ac.signal);
    await client.waitFor((t) => count(/^S/)(t) >= 1, 'a Scan');
    ac.abort();
    await run;
    expect(loop.stats.framesSent.end).toBe(0);
  });
});

describe('late joiners get the cached frames (G3NetworkSender replay, C2.22)', () => {
  it('after a stop: cached ALIVE, CLEANSE O, CLEANSE W, then live ALIVEs', async () => {
    const { sender, loop } = await setup();
    const first = await connect(sender);
    const run = loop.run();
    await first.waitFor((t) => count(/^S/)(t) >= 1, 'a Scan');
    loop.queue.requestEnd(loop.streaming, false);
    await first.waitFor((t) => t.includes('W3') && t.at(-1) === 'N0' && t.at(-2) !== 'W3', 'ALIVE after CLEANSE');
    const late = await connect(sender);
    await late.waitFor((t) => t.length >= 5, '5 frames');
    loop.queue.requestShutdown(loop.streaming);
    await run;
    expect(late.tokens).toMatch(/^N0 O3 W3 N0 N0/);
  });

  it('mid-stream: cached ALIVE and the real Observation, then live frames', async () => {
    const { sender, loop } = await setup();
    const run = loop.run();
    while (loop.stats.framesSent.scan < 2) await new Promise((r) => setTimeout(r, 10));
    const late = await connect(sender);
    await late.waitFor((t) => count(/^S/)(t) >= 2, '2 Scans');
    loop.queue.requestShutdown(loop.streaming);
    await run;
    expect(late.tokens).toMatch(/^N0 O (S\d+ )?(N0 S\d+ ?)+/);
    expect(late.frames[1]!.getString('sostream_id')).toBe('stream_sim');
    expect(Number(late.frames.find((f) => f.type === FrameType.Scan)!.getInt('frame_num'))).toBeGreaterThanOrEqual(2);
  });
});
