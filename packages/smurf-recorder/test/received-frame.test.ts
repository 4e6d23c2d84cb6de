/** ReceivedFrame serialization: byte-identical to g3-frame's recordedFrameBytes and the fixture. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeFrames, recordedFrameBytes } from '@smurf-ocs/g3-frame';
import { describe, expect, it } from 'vitest';
import { ReceivedFrame } from '../src/received-frame.js';
import { fixturesDir } from './helpers.js';
import { simStreamFrames } from './raw-sender.js';

const cat = (c: readonly Uint8Array[]): Buffer => Buffer.concat(c.map((x) => Buffer.from(x)));

describe('ReceivedFrame', () => {
  it('libstdc++ chunks equal recordedFrameBytes for every simulator frame', () => {
    for (const f of simStreamFrames()) expect(cat(new ReceivedFrame(f).chunks()).equals(Buffer.from(recordedFrameBytes(f)))).toBe(true);
  });

  it('reproduces smurf_sim_recorded.g3 from the kept frames of smurf_sim_stream.g3', () => {
    const kept = simStreamFrames().filter((f) => !f.has('sostream_flowcontrol'));
    const bytes = Buffer.concat(kept.map((f) => cat(new ReceivedFrame(f).chunks())));
    expect(bytes.equals(readFileSync(path.join(fixturesDir, 'smurf_sim_recorded.g3')))).toBe(true);
  });

  it('wire order writes the received bytes verbatim', () => {
    const raw = readFileSync(path.join(fixturesDir, 'smurf_sim_stream.g3'));
    const frames = decodeFrames(raw);
    expect(cat(frames.flatMap((f) => new ReceivedFrame(f, 'wire').chunks())).equals(raw)).toBe(true);
  });

  it('reads flow control and stream-id lazily with typed errors', () => {
    const [start, obs] = simStreamFrames();
    expect(new ReceivedFrame(start!).flowControl()).toBe(1);
    expect(new ReceivedFrame(obs!).streamId()).toBe('stream_sim');
    expect(new ReceivedFrame(obs!).flowControl()).toBeUndefined();
  });
});
