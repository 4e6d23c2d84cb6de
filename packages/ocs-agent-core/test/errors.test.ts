import { describe, expect, it } from 'vitest';
import { ConfigError, OCS_ERROR_CODES, OcsError, ParamError } from '../src/errors.js';

describe('errors', () => {
  it('has unique OCS_ERR_* codes', () => {
    const codes = Object.values(OCS_ERROR_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(/^OCS_ERR_[A-Z_]+$/);
  });
  it('subclasses carry code, name and cause', () => {
    const cause = new Error('x');
    const e = new ParamError('bad', { cause });
    expect(e).toBeInstanceOf(OcsError);
    expect(e.code).toBe('OCS_ERR_PARAM');
    expect(e.cause).toBe(cause);
    expect(new ConfigError('u', { exitCode: 2 }).exitCode).toBe(2);
  });
});
