/**
 * Record loop over real TCP sockets on 127.0.0.1 (spec B2-B4, C2.1, C2.10-C2.15, C2.19): a raw
 * sender writes fixture frames or broken bytes; the recorder writes files checked with g3-frame.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeFrames, encodeFrame, G3Frame, G3Int, G3String } from '@smurf-ocs/g3-frame';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FrameRecorder } from '../src/frame-recorder.js';
import { RecordLoop } from '../src/record-loop.js';
import { fixturesDir, listFiles, memoryLogger, tempDir, waitFor } from './helpers.js';
import { flowFrame, rawOf, scanFrame, simStreamFrames, startRawSender, type RawSender } from './raw-sender.js';

let dir: string;
let cleanup: () => Promise<void>;
let sender: RawSender;
let stop: AbortController;
let done: Promise<void>;
let loop: RecordLoop;
let recorder: FrameRecorder;
let logs: Array<Record<string, unknown>>;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  sender = await startRawSender();
});
afterEach(async () => {
  stop?.abort();
  await done;
  await sender.close();
  await cleanup();
});

function startLoop(opts: { port?: number; idleTimeoutMs?: number; gapSeconds?: number } = {}): void {
  const { log, entries } = memoryLogger();
  logs = entries;
  recorder = new FrameRecorder({ dataDir: dir, streamId: 'None', timePerFile: 600, log, gapSeconds: opts.gapSeconds ?? 10 });
  loop = new RecordLoop({ host: '127.0.0.1', port: opts.port ?? sender.port, recorder, log, idleTimeoutMs: opts.idleTimeoutMs ?? 5000 });
  stop = new AbortController();
  done = loop.run(stop.signal);
}
const g3Files = async (): Promise<string[]> => (await listFiles(dir)).filter((f) => f.endsWith('.g3'));
const framesOf = async (rel: string) => decodeFrames(await readFile(path.join(dir, rel)));

describe('RecordLoop', () => {
  it('writes exactly what socs FrameRecorder wrote from the simulator stream (fixture, C2.2)', async () => {
    startLoop();
    await sender.waitForClients(1);
    for (const f of simStreamFrames()) sender.send(rawOf(f));
    await waitFor(() => recorder.counters.files_closed === 1, 20_000, 'file closed by END');
    const files = await g3Files();
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{5}\/stream_sim\/\d{10}_000\.g3$/);
    const [tc5, , name] = files[0]!.split('/');
    expect(name!.slice(0, 5)).toBe(tc5);
    const expected = readFileSync(path.join(fixturesDir, 'smurf_sim_recorded.g3'));
    expect(Buffer.from(await readFile(path.join(dir, files[0]!))).equals(expected)).toBe(true);
  });

  it('keeps every whole frame and reconnects after garbage in the same chunk (C2.14)', async () => {
    startLoop();
    await sender.waitForClients(1);
    const garbage = Buffer.alloc(64, 0xa7);
    sender.send(Buffer.concat([flowFrame(1), scanFrame(0), scanFrame(1), garbage]));
    await sender.waitForClients(2);
    expect(loop.streamErrors).toBe(1);
    expect(loop.lastError?.code).toBe('SMURF_RECORDER_ERR_STREAM');
    const files = await g3Files();
    expect(files).toHaveLength(1);
    const frames = await framesOf(files[0]!);
    expect(frames.map((f) => f.getInt('frame_num'))).toEqual([0n, 1n]);
  });

  it('closes the file cleanly on a truncated frame followed by FIN (C2.12)', async () => {
    startLoop();
    await sender.waitForClients(1);
    const next = scanFrame(1);
    sender.send(Buffer.concat([scanFrame(0), next.subarray(0, 40)]));
    await waitFor(() => recorder.counters.frames_written === 1);
    sender.endClients();
    await sender.waitForClients(2);
    expect(loop.lastError?.message).toMatch(/closed by the sender inside a frame/);
    expect((await framesOf((await g3Files())[0]!)).length).toBe(1);
    expect(recorder.currentFile).toBeUndefined();
  });

  it('detects a sender stalled inside a frame after the idle timeout (C2.13)', async () => {
    startLoop({ idleTimeoutMs: 500 });
    await sender.waitForClients(1);
    sender.send(Buffer.concat([scanFrame(0), scanFrame(1).subarray(0, 40)]));
    await sender.waitForClients(2);
    expect(loop.lastError?.message).toMatch(/stalled .* inside a frame/);
    expect((await framesOf((await g3Files())[0]!)).length).toBe(1);
  });

  it('treats silence between frames as end of stream, not as a fault (C2.10)', async () => {
    startLoop({ idleTimeoutMs: 500 });
    await sender.waitForClients(1);
    sender.send(scanFrame(0));
    await sender.waitForClients(2);
    expect(loop.streamErrors).toBe(0);
    expect(loop.lastEnd).toBe('timeout');
    expect(recorder.counters.files_closed).toBe(1);
    expect(logs.some((e) => String(e.msg).startsWith('Could not read frames. Connection timed out'))).toBe(true);
  });

  it('closes and reconnects on a flow-control value of 7 (C2.15)', async () => {
    startLoop();
    await sender.waitForClients(1);
    sender.send(Buffer.concat([scanFrame(0), flowFrame(7), scanFrame(1)]));
    await sender.waitForClients(2);
    expect(loop.lastError?.code).toBe('SMURF_RECORDER_ERR_FLOW_CONTROL');
    const frames = await framesOf((await g3Files())[0]!);
    expect(frames.map((f) => f.getInt('frame_num'))).toEqual([0n]);
  });

  it('drops PipelineInfo and CLEANSE frames, writes N and W frames without the flow key (C2.16)', async () => {
    startLoop();
    await sender.waitForClients(1);
    const mk = (type: number, items: Array<[string, G3Int | G3String]>): Uint8Array => encodeFrame(new G3Frame(type, items));
    sender.send(Buffer.concat([
      mk(0x50, [['1600000000', new G3String('pipeline')]]),
      mk(0x57, [['sostream_flowcontrol', new G3Int(3)]]),
      mk(0x4e, [['note', new G3String('plain N')]]),
      mk(0x57, [['status', new G3String('wiring')]]),
    ]));
    await waitFor(() => recorder.counters.frames_received === 4);
    expect(recorder.counters).toMatchObject({ frames_written: 2, frames_dropped: 2 });
    const frames = await framesOf((await g3Files())[0]!);
    expect(frames.map((f) => f.typeName)).toEqual(['none', 'Wiring']);
  });

  it('closes an idle file while ALIVEs keep coming; the next Scan starts a new acquisition (C2.9)', async () => {
    startLoop({ gapSeconds: 1 }); // Python's 10 s gap, shortened for the test
    await sender.waitForClients(1);
    sender.send(scanFrame(0));
    await waitFor(() => recorder.counters.frames_written === 1);
    const alive = setInterval(() => sender.send(flowFrame(0)), 200);
    try {
      await waitFor(() => recorder.counters.files_closed === 1, 10_000, 'idle close');
      expect(loop.connects).toBe(1);
    } finally {
      clearInterval(alive);
    }
    await new Promise((r) => setTimeout(r, 1100)); // a new second: a new basename
    sender.send(scanFrame(1));
    await waitFor(() => recorder.counters.files_opened === 2);
    const files = await g3Files();
    expect(files).toHaveLength(2);
    expect(files.every((f) => f.endsWith('_000.g3'))).toBe(true);
  });

  it('retries about once per second with no sender and stops promptly (C2.1)', async () => {
    const port = sender.port;
    await sender.close();
    startLoop({ port });
    await waitFor(() => loop.connectFailures >= 3, 10_000, '3 connect failures');
    const errors = logs.filter((e) => e.msg === 'G3Reader could not connect.');
    const times = errors.map((e) => Number(e.time));
    expect(times[2]! - times[0]!).toBeGreaterThanOrEqual(1900);
    const t0 = Date.now();
    stop.abort();
    await done;
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await listFiles(dir)).toEqual([]);
    sender = await startRawSender();
  });

  it('stops mid-stream with the file ending on a whole frame (C2.19)', async () => {
    startLoop();
    await sender.waitForClients(1);
    sender.send(Buffer.concat([scanFrame(0), scanFrame(1), scanFrame(2).subarray(0, 30)]));
    await waitFor(() => recorder.counters.frames_written === 2);
    stop.abort();
    await done;
    expect((await framesOf((await g3Files())[0]!)).length).toBe(2);
    expect(loop.state).toBe('disconnected');
  });
});
