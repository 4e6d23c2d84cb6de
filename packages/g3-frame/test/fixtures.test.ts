/**
 * Every reference fixture (shared/fixtures/g3, written by the real spt3g) decodes to the values
 * in expected/*.json, has the byte layout of expected/*.frames.json, and current-version fixtures
 * re-encode byte-identically from decoded values.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { encodeFrame, readG3FileAll, standardFrameTypeName, recordStream } from '../src/index.js';
import { dropValueStr, fixture, frameJson, readExpected } from './helpers.js';

const FILES = [
  'basic_types.g3',
  'basic_types.g3.gz',
  'frame_types.g3',
  'smurf_sim_stream.g3',
  'smurf_sim_stream.g3.gz',
  'smurf_sim_stream.g3.bz2',
  'smurf_sim_stream.g3.xz',
  'smurf_sim_recorded.g3',
  'flac_timestreams.g3',
  'old_class_versions.g3',
];

interface FramesJson {
  n_frames: number;
  frames: Array<{
    offset: number;
    length: number;
    type_code: number;
    crc: number;
    keys: string[];
    blobs: Record<string, { length: number; sha256: string; class: string }>;
  }>;
}

describe.each(FILES)('fixture %s', (name) => {
  it('decodes to the values spt3g reports', async () => {
    const frames = await readG3FileAll(fixture(name));
    const expected = dropValueStr(readExpected(`${name}.json`)) as { n_frames: number; frames: unknown[] };
    expect(frames.length).toBe(expected.n_frames);
    const got = frames.map((f, i) => frameJson(f, i, standardFrameTypeName(f.type) ?? '???'));
    expect(got).toEqual(expected.frames);
  });

  it('matches the byte layout (offsets, CRCs, key order, blob hashes, classes)', async () => {
    const frames = await readG3FileAll(fixture(name));
    const layout = readExpected(`${name}.frames.json`) as FramesJson;
    expect(frames.length).toBe(layout.n_frames);
    frames.forEach((f, i) => {
      const e = layout.frames[i]!;
      expect(f.offset).toBe(e.offset);
      expect(f.raw!.length).toBe(e.length);
      expect(f.type).toBe(e.type_code);
      expect(f.keys()).toEqual(e.keys);
      const raw = f.raw!;
      expect(new DataView(raw.buffer, raw.byteOffset).getUint32(raw.length - 4, true)).toBe(e.crc);
      for (const k of f.keys()) {
        const blob = f.getBlob(k)!;
        expect(blob.length).toBe(e.blobs[k]!.length);
        expect(createHash('sha256').update(blob).digest('hex')).toBe(e.blobs[k]!.sha256);
        expect(f.className(k)).toBe(e.blobs[k]!.class);
      }
    });
  });
});

describe.each(['basic_types.g3', 'frame_types.g3', 'smurf_sim_stream.g3', 'smurf_sim_recorded.g3'])('current-version fixture %s', (name) => {
  it('re-encodes byte-identically from decoded values', async () => {
    const frames = await readG3FileAll(fixture(name));
    const bytes = Buffer.concat(frames.map((f) => encodeFrame(f, { reencodeValues: true })));
    expect(bytes.equals(readFileSync(fixture(name)))).toBe(true);
  });

  it('re-encodes an untouched read frame as a copy of its raw bytes', async () => {
    const frames = await readG3FileAll(fixture(name));
    for (const f of frames) expect(encodeFrame(f)).toBe(f.raw);
  });
});

describe('recorder transformation (g3-format.md §6.3)', () => {
  it('reproduces smurf_sim_recorded.g3 byte for byte from smurf_sim_stream.g3', async () => {
    const stream = await readG3FileAll(fixture('smurf_sim_stream.g3'));
    const out = Buffer.concat([...recordStream(stream)]);
    expect(out.equals(readFileSync(fixture('smurf_sim_recorded.g3')))).toBe(true);
  });
});
