/** The error catalog stays honest: unique codes, one per class, all documented. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OcsError } from '@smurf-ocs/ocs-agent-core';
import { errorCatalog, SuprsyncError } from '../src/index.js';

const DOC = readFileSync(new URL('../../../docs/agents/suprsync.md', import.meta.url), 'utf8');

describe('error catalog', () => {
  it('codes are unique, prefixed, extend OcsError and appear in docs/agents/suprsync.md', () => {
    const codes = errorCatalog.map((C) => {
      const e = new (C as unknown as new (m: string, x?: unknown) => SuprsyncError)('m', null);
      expect(e).toBeInstanceOf(SuprsyncError);
      expect(e).toBeInstanceOf(OcsError);
      expect(e.name).toBe(C.name);
      expect(DOC).toContain(`| \`${e.code}\` | \`${C.name}\` |`);
      return e.code;
    });
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes.every((c) => /^SUPRSYNC_ERR_[A-Z_]+$/.test(c))).toBe(true);
  });
});
