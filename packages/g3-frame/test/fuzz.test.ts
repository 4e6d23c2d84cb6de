/**
 * Seeded fuzz: mutated fixtures fed to the decoders (envelope, lazy values, resync mode) never
 * hang and never throw anything but G3Error. Bounded iteration count; no wall-clock assertions.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeBlob, FrameDecoder, G3Error, type G3Frame } from '../src/index.js';
import { fixture } from './helpers.js';
import { mulberry32 } from './rng.js';

const SOURCES = ['basic_types.g3', 'smurf_sim_stream.g3', 'flac_timestreams.g3', 'old_class_versions.g3', 'frame_types.g3'].map((n) =>
  readFileSync(fixture(n)),
);

function mutate(src: Uint8Array, rnd: () => number): Uint8Array {
  const b = Uint8Array.from(src);
  const kind = Math.floor(rnd() * 4);
  const n = 1 + Math.floor(rnd() * 8);
  for (let i = 0; i < n; i++) {
    const p = Math.floor(rnd() * b.length);
    if (kind === 0) b[p] = Math.floor(rnd() * 256);
    else if (kind === 1) b[p] = b[p]! ^ (1 << Math.floor(rnd() * 8));
    else if (kind === 2) b[p] = [0, 0xff, 0x7f, 0x80][Math.floor(rnd() * 4)]!;
  }
  if (kind === 3) return b.subarray(0, Math.floor(rnd() * b.length));
  return b;
}

/** Decode everything, including every value; return the G3Errors seen. */
function exercise(bytes: Uint8Array, resync: boolean): G3Error[] {
  const errors: G3Error[] = [];
  const d = new FrameDecoder({ resync, onError: (e) => errors.push(e), verifyCrc: false });
  let frames: G3Frame[] = [];
  try {
    frames = [...d.push(bytes), ...d.end()];
  } catch (e) {
    if (!(e instanceof G3Error)) throw e;
    errors.push(e);
  }
  for (const f of frames) {
    for (const k of f.keys()) {
      try {
        f.get(k);
      } catch (e) {
        if (!(e instanceof G3Error)) throw e;
        errors.push(e);
      }
    }
  }
  return errors;
}

describe('fuzz (seeded)', () => {
  it.each([11, 22, 33, 44])('mutated fixtures only ever raise G3Error (seed %i)', (seed) => {
    const rnd = mulberry32(seed);
    let faults = 0;
    for (let i = 0; i < 400; i++) {
      const src = SOURCES[i % SOURCES.length]!;
      const bytes = mutate(src, rnd);
      faults += exercise(bytes, i % 2 === 0).length;
    }
    expect(faults).toBeGreaterThan(0);
  });

  it('random blobs only ever raise G3Error', () => {
    const rnd = mulberry32(5);
    for (let i = 0; i < 2000; i++) {
      const len = Math.floor(rnd() * 200);
      const b = Uint8Array.from({ length: len }, () => Math.floor(rnd() * 256));
      if (len > 0) b[0] = 1;
      try {
        decodeBlob(b);
      } catch (e) {
        expect(e).toBeInstanceOf(G3Error);
      }
    }
  });
});
