/**
 * FrameRecorder state machine with an injected clock (spec B3, scenarios C2.2-C2.9, C2.16, C2.18).
 * Frames here are stand-ins whose bytes are one text line, so file contents read as a list.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FlowControlError } from '../src/errors.js';
import { FlowControl, FLOW_CONTROL_KEY, parseFlowControl } from '../src/flow-control.js';
import { FrameRecorder, type RecordableFrame } from '../src/frame-recorder.js';
import { listFiles, memoryLogger, tempDir } from './helpers.js';

interface Spec { type: string; flow?: unknown; id?: string; name: string; keys?: string[] }

function frame(s: Spec): RecordableFrame {
  const keys = new Set(s.keys ?? []);
  if (s.flow !== undefined) keys.add(FLOW_CONTROL_KEY);
  return {
    type: s.type.charCodeAt(0),
    hasKey: (k) => keys.has(k),
    flowControl: () => (s.flow === undefined ? undefined : parseFlowControl(s.flow)),
    streamId: () => s.id,
    chunks: () => [Buffer.from(`${s.name}\n`)],
  };
}
const START = frame({ type: 'N', flow: 1, name: 'START' });
const END = frame({ type: 'N', flow: 2, name: 'END' });
const ALIVE = frame({ type: 'N', flow: 0, name: 'ALIVE' });
const obs = (name = 'OBS', id = 'stream_sim'): RecordableFrame => frame({ type: 'O', id, name });
const scan = (n: number, id = 'stream_sim'): RecordableFrame => frame({ type: 'S', id, name: `S${n}` });

let dir: string;
let cleanup: () => Promise<void>;
let t: number;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(async () => cleanup());

function recorder(opts: { timePerFile?: number; streamId?: string } = {}): FrameRecorder {
  return new FrameRecorder({
    dataDir: dir, streamId: opts.streamId ?? 'None', timePerFile: opts.timePerFile ?? 600,
    now: () => t, log: memoryLogger().log,
  });
}
async function feed(r: FrameRecorder, frames: RecordableFrame[], dt = 1): Promise<void> {
  for (const f of frames) {
    await r.handleFrame(f);
    t += dt;
  }
}
const lines = async (rel: string): Promise<string[]> => (await readFile(path.join(dir, rel), 'utf8')).trim().split('\n');

describe('FrameRecorder', () => {
  it('records one acquisition into <tc5>/<stream-id>/<t0>_000.g3 without flow-control frames (C2.2)', async () => {
    t = 1795012345.25;
    const r = recorder();
    await feed(r, [START, obs(), ALIVE, scan(0), ALIVE, scan(1), ALIVE, scan(2), END,
      frame({ type: 'O', flow: 3, name: 'CLEANSE_O' }), frame({ type: 'W', flow: 3, name: 'CLEANSE_W' })], 0.5);
    await r.close();
    expect(await listFiles(dir)).toEqual(['17950/stream_sim/1795012345_000.g3']);
    expect(await lines('17950/stream_sim/1795012345_000.g3')).toEqual(['OBS', 'S0', 'S1', 'S2']);
    expect(r.counters).toMatchObject({ frames_received: 11, frames_written: 4, frames_dropped: 7, files_closed: 1 });
  });

  it('rotates by time-per-file with the Observation on top of every file (C2.3)', async () => {
    t = 1795012345;
    const r = recorder({ timePerFile: 10 });
    await feed(r, [START, obs()], 0);
    await feed(r, Array.from({ length: 40 }, (_, i) => scan(i)));
    await r.close();
    const files = await listFiles(dir);
    expect(files).toEqual([0, 1, 2, 3].map((k) => `17950/stream_sim/1795012345_00${k}.g3`));
    // OBS + S0..S11: the file closes after the first frame written more than 10 s after opening.
    expect(await lines(files[0]!)).toEqual(['OBS', ...Array.from({ length: 12 }, (_, i) => `S${i}`)]);
    expect((await lines(files[1]!)).slice(0, 2)).toEqual(['OBS', 'S12']);
    expect(await lines(files[3]!)).toEqual(['OBS', 'S36', 'S37', 'S38', 'S39']);
  });

  it('keeps an acquisition in the directory of its first file across a timecode boundary (C2.4)', async () => {
    t = 1794999995;
    const r = recorder({ timePerFile: 10 });
    await feed(r, [START, obs()], 0);
    await feed(r, Array.from({ length: 30 }, (_, i) => scan(i)));
    await r.close();
    const files = await listFiles(dir);
    expect(files.length).toBe(3);
    expect(files.every((f) => f.startsWith('17949/stream_sim/1794999995_'))).toBe(true);
  });

  it('records data without START, stream-id from the frame (C2.5) or the CLI fallback (C2.6)', async () => {
    t = 1795012345;
    const r = recorder({ streamId: 'crate1slot2' });
    await feed(r, [scan(0, 'abc')]);
    await r.endOfStream();
    await feed(r, [frame({ type: 'S', name: 'anon' })]);
    await r.close();
    expect(await listFiles(dir)).toEqual(['17950/abc/1795012345_000.g3', '17950/crate1slot2/1795012346_000.g3']);
    const r2 = recorder();
    await feed(r2, [frame({ type: 'S', name: 'anon' })]);
    await r2.close();
    expect(await listFiles(dir)).toContain('17950/None/1795012347_000.g3');
  });

  it('START without END carries the stale Observation; END clears it (C2.7, C2.8)', async () => {
    t = 1795012345;
    const r = recorder();
    await feed(r, [START, obs('OBS1'), scan(0), START, obs('OBS2'), scan(1), END, START, obs('OBS3'), scan(2)]);
    await r.close();
    const files = await listFiles(dir);
    expect(files).toHaveLength(3);
    expect(await lines(files[0]!)).toEqual(['OBS1', 'S0']);
    expect(await lines(files[1]!)).toEqual(['OBS1', 'OBS2', 'S1']);
    expect(await lines(files[2]!)).toEqual(['OBS3', 'S2']);
  });

  it('closes the file after more than 10 s without writes while ALIVEs flow (C2.9)', async () => {
    t = 1795012345;
    const r = recorder();
    await feed(r, [START, obs(), scan(0)]);
    await feed(r, Array.from({ length: 10 }, () => ALIVE));
    expect(r.currentFile).toBeDefined();
    await feed(r, [ALIVE, ALIVE]);
    expect(r.currentFile).toBeUndefined();
    await feed(r, [scan(1)]);
    await r.close();
    const files = await listFiles(dir);
    // The file opened with OBS at +1 s, S0 was written at +2 s, the ALIVE at +13 s closed it.
    expect(files).toEqual(['17950/stream_sim/1795012346_000.g3', '17950/stream_sim/1795012360_000.g3']);
    expect(await lines(files[1]!)).toEqual(['OBS', 'S1']);
  });

  it('drops PipelineInfo and CLEANSE frames but writes N and W frames without the flow key (C2.16)', async () => {
    t = 1795012345;
    const r = recorder({ streamId: 'x' });
    await feed(r, [frame({ type: 'P', name: 'PIPE' }), frame({ type: 'W', flow: 3, name: 'CLEANSE_W' })]);
    expect(r.currentFile).toBeUndefined();
    await feed(r, [frame({ type: 'N', name: 'PLAIN_N' }), frame({ type: 'W', name: 'WIRING' })]);
    await r.close();
    const files = await listFiles(dir);
    expect(await lines(files[0]!)).toEqual(['PLAIN_N', 'WIRING']);
  });

  it('numbers same-second files _000, _001 in the same directory (C2.18)', async () => {
    t = 1795012345.1;
    const r = recorder();
    await feed(r, [START, obs(), scan(0), START, obs(), scan(1)], 0.1);
    await r.close();
    expect(await listFiles(dir)).toEqual(['17950/stream_sim/1795012345_000.g3', '17950/stream_sim/1795012345_001.g3']);
  });

  it('never overwrites: the same-second reuse after a split takes the first free suffix (B3.5 [FLAW])', async () => {
    t = 1795012300;
    const r = recorder({ timePerFile: 1 });
    await feed(r, [scan(0)], 1.5); // opens _000 at 300.0; split at 301.5 -> suffix 1
    await feed(r, [scan(1)], 0.5); // 301.5: S1 written to _000, then split
    await feed(r, [scan(2)], 0.5); // 302.0: opens _001
    await feed(r, [START], 0.1); // 302.5: closes _001
    await feed(r, [scan(3)]); // 302.6: same second as _001 -> suffix 1 (Python would truncate _001)
    await r.close();
    const files = await listFiles(dir);
    expect(files).toEqual(['_000', '_001', '_002'].map((s) => `17950/stream_sim/1795012300${s}.g3`));
    expect(await lines(files[1]!)).toEqual(['S2']);
    expect(await lines(files[2]!)).toEqual(['S3']);
  });

  it('does not truncate a file left by an earlier run in the same second', async () => {
    t = 1795012345;
    await mkdir(path.join(dir, '17950/stream_sim'), { recursive: true });
    await writeFile(path.join(dir, '17950/stream_sim/1795012345_000.g3'), 'OLD\n');
    const r = recorder();
    await feed(r, [scan(0)]);
    await r.close();
    expect(await lines('17950/stream_sim/1795012345_000.g3')).toEqual(['OLD']);
    expect(await lines('17950/stream_sim/1795012345_001.g3')).toEqual(['S0']);
  });

  it('rejects a bad flow-control value before changing state (C2.15); G3Double 1.0 is START', async () => {
    t = 1795012345;
    const r = recorder();
    await feed(r, [scan(0)]);
    await expect(r.handleFrame(frame({ type: 'N', flow: 7n, name: 'BAD' }))).rejects.toBeInstanceOf(FlowControlError);
    await expect(r.handleFrame(frame({ type: 'N', flow: 'x', name: 'BAD' }))).rejects.toBeInstanceOf(FlowControlError);
    expect(r.currentFile).toBeDefined();
    expect(parseFlowControl(1.0)).toBe(FlowControl.Start);
    expect(() => parseFlowControl(1.5)).toThrow(FlowControlError);
    await r.handleFrame(frame({ type: 'N', flow: 1.0, name: 'START' }));
    expect(r.currentFile).toBeUndefined();
  });

  it('counts a write failure, keeps no file and keeps going (C2.17)', async () => {
    t = 1795012345;
    await writeFile(path.join(dir, 'not-a-dir'), '');
    const r = new FrameRecorder({ dataDir: path.join(dir, 'not-a-dir'), streamId: 'None', timePerFile: 600, now: () => t, log: memoryLogger().log });
    await feed(r, [scan(0), scan(1)]);
    expect(r.counters.write_errors).toBe(2);
    expect(r.lastWriteError?.code).toBe('SMURF_RECORDER_ERR_WRITE');
    expect(await listFiles(dir)).toEqual(['not-a-dir']);
  });
});
