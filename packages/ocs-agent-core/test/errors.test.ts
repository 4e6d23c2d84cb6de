import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClientUsageError, ControlClientError, PasswordFileError, ReplyShapeError, SiteConfigError } from '../src/client/errors.js';
import { ConfigError, DefinitionError, OCS_ERROR_CODES, OcsError, ParamError, WampError } from '../src/errors.js';
import { PYTHON_PEER_ERROR } from '../src/testing/python.js';

const DOC = readFileSync(resolve(import.meta.dirname, '../../../docs/ocs-agent-core.md'), 'utf8');
/** `| \`CODE\` | \`Class\` | ... |` rows of the docs error table: code -> class. */
const documented = new Map([...DOC.matchAll(/^\| `(OCS_ERR_[A-Z_]+)` \| `(\w+)` \|/gm)].map((m) => [m[1], m[2]]));

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
  // Review item: the client error codes were missing from the catalogue (and from the docs table).
  it('every class, client errors included, uses a catalogued code documented with that class', () => {
    const samples: OcsError[] = [
      new DefinitionError('d'),
      new ParamError('p'),
      new ConfigError('c'),
      new WampError(OCS_ERROR_CODES.wampCall, 'w'),
      new ControlClientError('wamp.error.no_such_procedure', ['x']),
      new ReplyShapeError('reply', 'not a list', 1),
      new SiteConfigError('s'),
      new PasswordFileError('p'),
      new ClientUsageError('u'),
    ];
    const catalogue = new Set<string>(Object.values(OCS_ERROR_CODES));
    for (const e of samples) {
      expect(catalogue.has(e.code), `${e.name} ${e.code} catalogued`).toBe(true);
      expect(documented.get(e.code), `${e.code} documented`).toBe(e.name);
    }
    expect(samples.slice(4).map((e) => e.code)).toEqual([
      OCS_ERROR_CODES.controlClient,
      OCS_ERROR_CODES.badReply,
      OCS_ERROR_CODES.siteConfig,
      OCS_ERROR_CODES.passwordFile,
      OCS_ERROR_CODES.clientUsage,
    ]);
    expect(catalogue.has(PYTHON_PEER_ERROR)).toBe(true);
  });
  it('the docs error table lists exactly the catalogue', () => {
    expect([...documented.keys()].sort()).toEqual(Object.values(OCS_ERROR_CODES).sort());
  });
});
