import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  FLOW_CONTROL_KEY,
  FlowControl,
  FrameType,
  G3Double,
  G3Int,
  G3String,
  G3TimestreamMap,
  decodeFrames,
  encodeFrame,
  flowControlOf,
} from '@smurf-ocs/g3-frame';
import { describe, expect, it } from 'vitest';
import { aliveFrame, channelKey, endFrames, flowControlFrame, samplesPerFrame, ScanBuilder, startFrames } from '../src/frames.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = path.resolve(repoRoot, '../shared/fixtures/g3');
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

// suprsync-recorder.md Appendix 1: golden frames computed from spt3g's encoding rules.
const ALIVE_HEX =
  '0101000000010000004e0000001400000000000000736f73747265616d5f666c6f77636f6e74726f6c2600000000000000010100008005000000000000004733496e740100008001000000010000000000000000000000808001c7';
const OBSERVATION_HEX =
  '0101000000030000004f0000000a0000000000000073657373696f6e5f69642600000000000000010100008005000000000000004733496e7401000080010000000100000000000000000000000b00000000000000736f73747265616d5f69643300000000000000010100008008000000000000004733537472696e670100008001000000010000000a0000000000000073747265616d5f73696d0a0000000000000073746172745f74696d652900000000000000010100008008000000000000004733446f75626c650100008001000000010000000000200084d7d741594c5290';

describe('flow-control and Observation frames (g3-format.md §6.1)', () => {
  it('ALIVE is byte-identical to the golden frame', () => {
    expect(hex(encodeFrame(aliveFrame()))).toBe(ALIVE_HEX);
  });

  it('START, END and CLEANSE differ from ALIVE only in type, value and CRC', () => {
    const [start] = startFrames('stream_sim', 0);
    const [end, cleanseO, cleanseW] = endFrames();
    const crcOf = (b: Uint8Array): string => hex(b.subarray(b.length - 4));
    expect(crcOf(encodeFrame(start))).toBe('a7fd3d8e');
    expect(crcOf(encodeFrame(end))).toBe('ce7a7955');
    expect(crcOf(encodeFrame(cleanseO))).toBe('e907451c');
    expect(crcOf(encodeFrame(cleanseW))).toBe('e907451c');
    expect([start, end, cleanseO, cleanseW].map((f) => [f.type, flowControlOf(f)])).toEqual([
      [FrameType.None, FlowControl.Start],
      [FrameType.None, FlowControl.End],
      [FrameType.Observation, FlowControl.Cleanse],
      [FrameType.Wiring, FlowControl.Cleanse],
    ]);
  });

  it('the Observation frame is byte-identical to spt3g output (fixture smurf_sim_stream.g3 frame 1)', () => {
    const bytes = readFileSync(path.join(fixtures, 'smurf_sim_stream.g3'));
    const ref = decodeFrames(bytes)[1]!;
    const [, obs] = startFrames('stream_sim', 1600000000.25);
    expect(hex(encodeFrame(obs))).toBe(hex(ref.raw!));
  });

  it('the Observation frame has the golden blobs of Appendix 1 (which lists keys sorted)', () => {
    const golden = decodeFrames(Buffer.from(OBSERVATION_HEX, 'hex'))[0]!;
    const [, obs] = startFrames('stream_sim', 1600000000.5);
    expect([...obs.keys()].sort()).toEqual(golden.keys());
    for (const k of golden.keys()) expect(hex(obs.getBlob(k)!)).toBe(hex(golden.getBlob(k)!));
  });

  it('whole fixture stream: our flow-control frames equal the spt3g bytes', () => {
    const ref = decodeFrames(readFileSync(path.join(fixtures, 'smurf_sim_stream.g3')));
    const [start] = startFrames('stream_sim', 0);
    const ours = [start, aliveFrame(), ...endFrames()].map((f) => hex(encodeFrame(f)));
    expect(ours).toEqual([0, 2, 8, 9, 10].map((i) => hex(ref[i]!.raw!)));
  });

  it('flowControlFrame builds any type/value pair', () => {
    const f = flowControlFrame(FrameType.Housekeeping, FlowControl.End);
    expect(f.type).toBe(FrameType.Housekeeping);
    expect(f.keys()).toEqual([FLOW_CONTROL_KEY]);
  });
});

describe('Scan frames', () => {
  it('have the keys, classes and key order of the spt3g fixture smurf_sim_stream.g3', () => {
    const fixture = decodeFrames(readFileSync(path.join(fixtures, 'smurf_sim_stream.g3')));
    const ref = fixture[3]!;
    const scan = new ScanBuilder({ numChans: 4, streamId: 'stream_sim', sampleRate: 10, frameRate: 1 }).build(0, 1600000000);
    const back = decodeFrames(encodeFrame(scan))[0]!;
    expect(back.type).toBe(ref.type);
    expect(back.keys()).toEqual(ref.keys());
    expect(back.keys().map((k) => back.className(k))).toEqual(ref.keys().map((k) => ref.className(k)));
    const data = back.get('data') as G3TimestreamMap;
    const refData = ref.get('data') as G3TimestreamMap;
    expect([...data.value.keys()]).toEqual([...refData.value.keys()]);
    const ts = data.value.get('r0000')!;
    const refTs = refData.value.get('r0000')!;
    expect(ts.nSamples).toBe(refTs.nSamples);
    expect(ts.stop - ts.start).toBe(refTs.stop - refTs.start); // 9 samples at 10 Hz = 0.9 s
    expect(ts.units).toBe(refTs.units);
    expect(ts.data).toBeInstanceOf(Float64Array);
  });

  it('carry session_id 0, frame_num, sostream_id and exact start ticks', () => {
    const b = new ScanBuilder({ numChans: 3, streamId: 'crate1slot2', sampleRate: 200, frameRate: 2 });
    const f = decodeFrames(encodeFrame(b.build(41, 1700000000.25)))[0]!;
    expect(f.getInt('session_id')).toBe(0n);
    expect(f.getInt('frame_num')).toBe(41n);
    expect(f.getString('sostream_id')).toBe('crate1slot2');
    const ts = (f.get('data') as G3TimestreamMap).value.get('r0002')!;
    expect(ts.start).toBe(170000000025000000n);
    expect(ts.nSamples).toBe(100);
    expect(ts.sampleRateHz).toBeCloseTo(200, 9);
  });

  it('scale to SMuRF-sized frames (4096 channels x 200 samples)', () => {
    const b = new ScanBuilder({ numChans: 4096, streamId: 's', sampleRate: 200, frameRate: 1 });
    const bytes = encodeFrame(b.build(0, 1700000000));
    expect(bytes.length).toBeGreaterThan(4096 * 200 * 8);
    const data = decodeFrames(bytes)[0]!.get('data') as G3TimestreamMap;
    expect(data.value.size).toBe(4096);
    expect(data.value.get('r4095')!.nSamples).toBe(200);
  });

  it('samples are finite noise, different between channels and frames', () => {
    const b = new ScanBuilder({ numChans: 2, streamId: 's', sampleRate: 1000, frameRate: 1 });
    const frame = (n: number): Float64Array[] => [...(b.build(n, n).get('data') as G3TimestreamMap).value.values()].map((t) => t.data as Float64Array);
    const [a, c] = frame(0);
    const [d] = frame(1);
    expect(a!.every(Number.isFinite)).toBe(true);
    expect(a).not.toEqual(c);
    expect(a).not.toEqual(d);
  });
});

describe('helpers', () => {
  it('channel keys follow Python f"r{i:04}"', () => {
    expect([0, 7, 527, 4095, 10000].map(channelKey)).toEqual(['r0000', 'r0007', 'r0527', 'r4095', 'r10000']);
  });
  it('samples per frame = round(sample_rate / frame_rate), at least 1', () => {
    expect(samplesPerFrame({ sampleRate: 10, frameRate: 1 })).toBe(10);
    expect(samplesPerFrame({ sampleRate: 200, frameRate: 3 })).toBe(67);
    expect(samplesPerFrame({ sampleRate: 1, frameRate: 10 })).toBe(1);
  });
  it('scalar classes of the Observation frame', () => {
    const [, obs] = startFrames('x', 1.5);
    expect(obs.get('session_id')).toBeInstanceOf(G3Int);
    expect(obs.get('start_time')).toBeInstanceOf(G3Double);
    expect(obs.get('sostream_id')).toBeInstanceOf(G3String);
  });
});
