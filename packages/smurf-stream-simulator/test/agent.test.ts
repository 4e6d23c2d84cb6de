/**
 * The agent through OCS: a real router, the agent in-process, ops called over the HTTP bridge,
 * frames read by g3-frame's TCP reader (suprsync-recorder.md §B7, C2.21).
 */
import { httpCall, startAgent, startRouter, tmpDir, waitFor, writeSiteConfig, type TestRouter, type TmpDir } from '@smurf-ocs/ocs-agent-core/testing';
import { FrameDecoder, FrameType, G3TimestreamMap, type G3Frame } from '@smurf-ocs/g3-frame';
import { createServer, type Server } from 'node:net';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smurfStreamSimulatorAgent, type SimulatorState } from '../src/agent.js';
import { Collector, SESSION_DATA_KEYS } from './helpers.js';

type Reply = [number, string, Record<string, unknown>];
const A = 'observatory.smurf-stream';
const B = 'observatory.smurf-auto';
const C = 'observatory.smurf-busy';
const D = 'observatory.smurf-out';
let blocker: Server;
let readerServer: Server;
const outFrames: G3Frame[] = [];
let router: TestRouter;
let dir: TmpDir;
let agent: { close(): Promise<unknown>; handle: { state: unknown } } | undefined;
let auto: { close(): Promise<unknown> } | undefined;
let busy: { close(): Promise<unknown> } | undefined;
let out: { close(): Promise<unknown> } | undefined;
const collectors: Collector[] = [];

async function ops(address: string, args: unknown[], kwargs: Record<string, unknown> = {}): Promise<Reply> {
  const r = await httpCall(router.httpUrl, `${address}.ops`, args, kwargs);
  if (r.body.error !== undefined) throw new Error(`${r.body.error} ${JSON.stringify(r.body.args)}`);
  return r.body.args?.[0] as Reply;
}

async function streamData(address: string): Promise<Record<string, unknown>> {
  const [, , session] = await ops(address, ['status', 'stream', {}]);
  return (session.data ?? {}) as Record<string, unknown>;
}

async function connectToStream(address: string, inst: { handle: { state: unknown } }): Promise<Collector> {
  const port = await waitFor(async () => (await streamData(address)).port as number | undefined, { what: 'stream port', timeout: 10_000 });
  const c = await Collector.connect(port, () => (inst.handle.state as SimulatorState).run?.sender);
  collectors.push(c);
  return c;
}

beforeAll(async () => {
  router = await startRouter();
  dir = tmpDir();
  blocker = createServer().listen(0, '127.0.0.1');
  await once(blocker, 'listening');
  const busyPort = (blocker.address() as { port: number }).port;
  // A reader in listen mode (python G3Reader('tcp://*:port')) for --target-host connect mode.
  readerServer = createServer((sock) => {
    const decoder = new FrameDecoder();
    sock.on('data', (b) => outFrames.push(...decoder.push(b)));
  }).listen(0, '127.0.0.1');
  await once(readerServer, 'listening');
  const readerPort = (readerServer.address() as { port: number }).port;
  const common = ['--bind-address', '127.0.0.1', '--port', '0', '--frame-rate', '20', '--sample-rate', '200'];
  const site = writeSiteConfig(dir.path, {
    hubUrl: router.url,
    httpUrl: router.httpUrl,
    instances: [
      { agentClass: 'SmurfStreamSimulator', instanceId: 'smurf-stream', arguments: [...common, '--num-chans', '3', '--stream-id', 'crate1slot2'] },
      { agentClass: 'SmurfStreamSimulator', instanceId: 'smurf-auto', arguments: [['--auto-start', true], ...common] },
      { agentClass: 'SmurfStreamSimulator', instanceId: 'smurf-out', arguments: ['--target-host', '127.0.0.1', '--port', String(readerPort), '--num-chans', '2', '--frame-rate', '20'] },
      { agentClass: 'SmurfStreamSimulator', instanceId: 'smurf-busy', arguments: ['--bind-address', '127.0.0.1', '--port', String(busyPort)] },
    ],
  });
  agent = await startAgent(smurfStreamSimulatorAgent, ['--site-file', site, '--instance-id', 'smurf-stream']);
  auto = await startAgent(smurfStreamSimulatorAgent, ['--site-file', site, '--instance-id', 'smurf-auto']);
  busy = await startAgent(smurfStreamSimulatorAgent, ['--site-file', site, '--instance-id', 'smurf-busy']);
  out = await startAgent(smurfStreamSimulatorAgent, ['--site-file', site, '--instance-id', 'smurf-out']);
});
afterAll(async () => {
  for (const c of collectors) c.close();
  await agent?.close();
  await auto?.close();
  await busy?.close();
  await out?.close();
  blocker?.close();
  readerServer?.close();
  await router?.close();
  await dir?.[Symbol.asyncDispose]();
});

describe('SmurfStreamSimulator over OCS', () => {
  it('reports the Python agent class and op names', async () => {
    const r = await httpCall(router.httpUrl, A, ['get_api'], {});
    const api = r.body.args?.[0] as { agent_class: string; processes: [string, unknown, Record<string, unknown>][]; tasks: [string, unknown, Record<string, unknown>][] };
    expect(api.agent_class).toBe('SmurfStreamSimulator');
    expect(api.processes.map((p) => p[0])).toEqual(['stream']);
    expect(api.tasks.map((t) => t[0])).toEqual(['start', 'stop']);
    expect(String(api.processes[0]![2].docstring)).toMatch(/^start_background_streamer\(params=None\)\n/);
    expect(String(api.tasks[0]![2].docstring)).toMatch(/^set_stream_on\(params=None\)\n/);
    expect(String(api.tasks[1]![2].docstring)).toMatch(/^set_stream_off\(params=None\)\n/);
  });

  it('start/stop tasks fail while the stream process is not running', async () => {
    await ops(A, ['start', 'start', {}]);
    const [, , s] = await ops(A, ['wait', 'start', {}], { timeout: 10 });
    expect(s).toMatchObject({ success: false, status: 'done' });
  });

  it('rejects a non-positive frame_rate', async () => {
    const [code, msg] = await ops(A, ['start', 'stream', { frame_rate: 0 }]);
    expect(code).toBe(-1);
    expect(msg).toMatch(/frame_rate/);
  });

  it('streams, stops and restarts data via the tasks, and ends with END on process stop', async () => {
    expect((await ops(A, ['start', 'stream', { frame_rate: 20, sample_rate: 100 }]))[0]).toBe(0);
    const client = await connectToStream(A, agent!);
    await client.waitFor((t) => t.filter((x) => x.startsWith('S')).length >= 2, '2 Scans');

    expect((await ops(A, ['start', 'stop', {}]))[0]).toBe(0);
    const [, , stopTask] = await ops(A, ['wait', 'stop', {}], { timeout: 10 });
    expect(stopTask).toMatchObject({ success: true });
    expect((stopTask.messages as [number, string][]).map((m) => m[1])).toContain('Stopped stream');
    await client.waitFor((t) => t.includes('W3') && t.at(-1) === 'N0', 'END, CLEANSE, ALIVE');
    expect(await streamData(A)).toMatchObject({ streaming: false });

    await ops(A, ['start', 'start', {}]);
    const restarted = (t: string[]): boolean => t.lastIndexOf('N1') > t.indexOf('W3') && t.slice(t.lastIndexOf('N1')).some((x) => x.startsWith('S'));
    await client.waitFor(restarted, 'restart');

    const [stopCode] = await ops(A, ['stop', 'stream', {}]);
    expect(stopCode).toBe(0);
    const [, , s] = await ops(A, ['wait', 'stream', {}], { timeout: 20 });
    expect(s).toMatchObject({ success: true, status: 'done' });
    expect((s.messages as [number, string][]).map((m) => m[1])).toContain('Finished streaming');
    await client.done;

    // The client joined after the START: the sender replays its cached N frame and the Observation.
    expect(client.tokens).toMatch(/^N[01] O (S\d+ )?(N0 S\d+ )+N2 O3 W3( N0)+ N1 O (N0 S\d+ )+N2 O3 W3$/);
    const scans = client.frames.filter((f) => f.type === FrameType.Scan);
    const data = scans[0]!.get('data') as G3TimestreamMap;
    expect([...data.value.keys()]).toEqual(['r0000', 'r0001', 'r0002']);
    expect(data.value.get('r0000')!.nSamples).toBe(5); // 100 Hz / 20 Hz
    expect(scans[0]!.getString('sostream_id')).toBe('crate1slot2');
    // The client joined mid-stream, so it may have missed the first Scans (not replayed).
    expect(s.data).toMatchObject({ streaming: false, num_chans: 3, samples_per_frame: 5, frame_num: Number(scans.at(-1)!.getInt('frame_num')) + 1 });
    expect(Object.keys(s.data as object)).toEqual(SESSION_DATA_KEYS);
  });

  it('--auto-start True starts the stream process at startup', async () => {
    const d = await waitFor(async () => {
      const x = await streamData(B);
      return (x.frame_num as number) >= 1 ? x : undefined;
    }, { what: 'auto-started Scans', timeout: 10_000 });
    expect(d).toMatchObject({ streaming: true, num_chans: 528, frame_rate: 20, sample_rate: 200, samples_per_frame: 10 });
    const [, , s] = await ops(B, ['status', 'stream', {}]);
    expect(s.status).toBe('running');
  });

  it('a port in use makes stream fail with a CRASH message, and the agent stays up', async () => {
    await ops(C, ['start', 'stream', {}]);
    const [, , s] = await ops(C, ['wait', 'stream', {}], { timeout: 10 });
    expect(s).toMatchObject({ success: false, status: 'done' });
    expect((s.messages as [number, string][]).map((m) => m[1]).join('\n')).toMatch(/CRASH: .*could not listen on 127\.0\.0\.1:\d+/);
    expect((await ops(C, ['status', 'stream', {}]))[0]).toBe(0);
  });

  it('--target-host <host> connects out to a listening reader, as Python', async () => {
    await ops(D, ['start', 'stream', {}]);
    await waitFor(() => outFrames.some((f) => f.type === FrameType.Scan), { what: 'a Scan frame from connect mode', timeout: 10_000 });
    await ops(D, ['stop', 'stream', {}]);
    const [, , s] = await ops(D, ['wait', 'stream', {}], { timeout: 10 });
    expect(s).toMatchObject({ success: true });
    const types = outFrames.map((f) => f.typeName);
    expect(types.slice(0, 4)).toEqual(['none', 'Observation', 'none', 'Scan']);
    expect(types.slice(-3)).toEqual(['none', 'Observation', 'Wiring']);
  });
});
