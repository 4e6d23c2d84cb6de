/** The error catalog stays honest: unique codes, one class per code, every code documented. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  FlowControlError, RECORDER_ERROR_CODES, RecorderError, RecoverError, RegisterError, StreamError, StreamIdError, WriteError,
} from '../src/errors.js';
import { repoRoot } from './helpers.js';

describe('error catalog', () => {
  it('has unique codes, each used by its class and listed in the operator page', () => {
    const codes = Object.values(RECORDER_ERROR_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    const made = [
      new StreamError('x'), new FlowControlError('x'), new StreamIdError('x'), new WriteError('/p', 'x'),
      new RegisterError('/p', 'x'), new RecoverError('/p', 'x'), new RecorderError(RECORDER_ERROR_CODES.generic, 'x'),
    ];
    expect(made.map((e) => e.code).sort()).toEqual([...codes].sort());
    const doc = readFileSync(path.join(repoRoot, 'docs/agents/smurf-recorder.md'), 'utf8');
    for (const c of codes) expect(doc).toContain(`\`${c}\``);
  });
});
