/** The error catalog stays honest: unique codes, classes match, every code documented. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';
import { repoRoot } from './helpers.js';

const codes = Object.values(api.G3_ERROR_CODES);
const samples: api.G3Error[] = [
  new api.G3Error('x'),
  new api.G3CrcError(1, 2),
  new api.G3TruncatedError(2, 1),
  new api.G3BadLengthError('n', 5n, 1),
  new api.G3GarbageError('x'),
  new api.G3VersionError('G3Frame', 2, 1),
  new api.G3DecodeError('x'),
  new api.G3FlacError('x'),
  new api.G3EncodeError('x'),
  new api.G3ConnectError('x'),
  new api.G3UnsupportedError('x'),
  new api.G3ClosedError('x'),
];

describe('error catalog', () => {
  it('codes are unique and G3_ERR_ prefixed', () => {
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(/^G3_ERR_[A-Z_]+$/);
  });
  it('every code has exactly one class, and classes are G3Errors with their name', () => {
    expect(samples.map((e) => e.code).sort()).toEqual([...codes].sort());
    for (const e of samples) {
      expect(e).toBeInstanceOf(api.G3Error);
      expect(e).toBeInstanceOf(Error);
      expect(e.name).toBe(e.constructor.name);
    }
  });
  it('every code and class is documented in docs/g3-frame.md', () => {
    const doc = readFileSync(path.join(repoRoot, 'docs/g3-frame.md'), 'utf8');
    for (const e of samples) {
      expect(doc).toContain(`\`${e.code}\``);
      expect(doc).toContain(`\`${e.name}\``);
    }
  });
  it('offsets appear in messages', () => {
    expect(new api.G3CrcError(1, 2, { offset: 91 }).message).toContain('at byte 91');
  });
});
