import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WampCodecError } from '@smurf-ocs/wamp-codec';
import { describe, expect, it } from 'vitest';
import { ProtocolViolationError, RouterConfigError, RouterError } from '../src/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const doc = readFileSync(path.join(repoRoot, 'docs/ocs-router.md'), 'utf8');

// The catalog: every error class this package (and the codec it exposes) can produce.
const catalog = [
  { cls: 'RouterConfigError', err: new RouterConfigError('x') },
  { cls: 'ProtocolViolationError', err: new ProtocolViolationError('x') },
  { cls: 'WampCodecError', err: new WampCodecError('WAMP_ERR_DECODE', 'x') },
  { cls: 'WampCodecError', err: new WampCodecError('WAMP_ERR_ENCODE', 'x') },
];

describe('error catalog', () => {
  it('has unique codes, named classes, and the router base class', () => {
    const codes = catalog.map((c) => c.err.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const { cls, err } of catalog) {
      expect(err.name).toBe(cls);
      expect(err).toBeInstanceOf(Error);
      if (cls !== 'WampCodecError') expect(err).toBeInstanceOf(RouterError);
    }
  });

  it('documents every code with its class in docs/ocs-router.md', () => {
    for (const { cls, err } of catalog) {
      expect(doc).toMatch(new RegExp(`\\| \`${err.code}\` \\| \`${cls}\``));
    }
  });

  it('keeps the cause when wrapping', () => {
    const cause = new Error('inner');
    expect(new ProtocolViolationError('outer', { cause }).cause).toBe(cause);
  });
});
