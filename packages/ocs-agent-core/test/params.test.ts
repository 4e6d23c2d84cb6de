import { float } from '@smurf-ocs/wamp-codec';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AccessController, parseAccessPolicy, patternMatch, SUPERUSER } from '../src/agent/access.js';
import { param, paramSpecFromZod, prescreenParams, type ParamSpec } from '../src/agent/params.js';
import { pyFloatRepr, pyRepr, pyStr } from '../src/agent/py-repr.js';

const delaySpec: ParamSpec = {
  decls: { succeed: param.bool({ default: true }), delay: param.float({ default: 5, check: (x) => x >= 0 }) },
};

function err(spec: ParamSpec, raw: unknown): string {
  try {
    prescreenParams(spec, raw);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

describe('python repr', () => {
  it('formats floats like Python repr', () => {
    expect(pyFloatRepr(1)).toBe('1.0');
    expect(pyFloatRepr(0.1)).toBe('0.1');
    expect(pyFloatRepr(1e-5)).toBe('1e-05');
    expect(pyFloatRepr(1e16)).toBe('1e+16');
    expect(pyFloatRepr(123456789012345.6)).toBe('123456789012345.6');
    expect(pyFloatRepr(-2.5e-7)).toBe('-2.5e-07');
    expect(pyFloatRepr(NaN)).toBe('nan');
  });
  it('formats values like Python str/repr', () => {
    expect(pyStr('abc')).toBe('abc');
    expect(pyStr(true)).toBe('True');
    expect(pyStr(null)).toBe('None');
    expect(pyStr({ a: 1, b: [1, 'x'] })).toBe("{'a': 1, 'b': [1, 'x']}");
    expect(pyStr(float(2))).toBe('2.0');
    expect(pyRepr("it's")).toBe('"it\'s"');
  });
});

describe('param pre-screen (ocs-protocol.md 2.6)', () => {
  it('fills defaults and accepts int as float', () => {
    expect(prescreenParams(delaySpec, { delay: 1 })).toEqual({ succeed: true, delay: 1 });
    expect(prescreenParams(delaySpec, null)).toEqual({ succeed: true, delay: 5 });
    expect(prescreenParams(delaySpec, { delay: null })).toEqual({ succeed: true, delay: 5 });
    expect(prescreenParams(delaySpec, { delay: float(2) })).toEqual({ succeed: true, delay: 2 });
  });
  it('produces the Python texts', () => {
    expect(err(delaySpec, { delay: 'abc' })).toBe("Param 'delay'=abc is not of required type (<class 'float'>)");
    expect(err(delaySpec, { delay: -1 })).toBe("Param 'delay' failed validity check (see docs?).");
    expect(err(delaySpec, { bogus: 1, x: 2 })).toBe("params included unexpected values: ['bogus', 'x']");
    expect(err(delaySpec, { succeed: 1 })).toBe("Param 'succeed'=1 is not of required type (<class 'bool'>)");
    expect(err({ decls: { n: param.int() } }, {})).toBe("Param 'n' is required and must not be None");
    expect(err({ decls: { n: param.int({ default: 1 }) } }, { n: float(2) })).toBe("Param 'n'=2.0 is not of required type (<class 'int'>)");
    expect(err({ decls: { m: param.str({ choices: ['a', 'b'] }) } }, { m: 'c' })).toBe("Param 'm'=c is not in allowed set (['a', 'b'])");
    expect(err({ decls: { d: param.dict({ default: null }) } }, { d: [1, 2] })).toBe("Param 'd'=[1, 2] is not of required type (<class 'dict'>)");
    expect(err(delaySpec, [])).toBe("'list' object has no attribute 'get'");
  });
  it('honours noCheckStrays and checks in declaration order', () => {
    expect(prescreenParams({ decls: {}, noCheckStrays: true }, { x: 1 })).toEqual({});
    expect(err(delaySpec, { succeed: 'no', delay: 'no' })).toContain("'succeed'");
  });
  it('translates zod object schemas', () => {
    const spec = paramSpecFromZod(
      z.object({ delay: z.number().min(0).default(5), n: z.number().int().optional(), mode: z.enum(['a', 'b']).default('a'), tags: z.array(z.string()).default([]) }),
    );
    expect(prescreenParams(spec, { n: 3 })).toEqual({ delay: 5, n: 3, mode: 'a', tags: [] });
    expect(err(spec, { delay: 'x' })).toBe("Param 'delay'=x is not of required type (<class 'float'>)");
    expect(err(spec, { delay: -2 })).toBe("Param 'delay' failed validity check (see docs?).");
    expect(err(spec, { n: 1.5 })).toBe("Param 'n'=1.5 is not of required type (<class 'int'>)");
    expect(err(spec, { mode: 'c' })).toBe("Param 'mode'=c is not in allowed set (['a', 'b'])");
    expect(err(spec, { tags: 'x' })).toBe("Param 'tags'=x is not of required type (<class 'list'>)");
  });
});

describe('access rules', () => {
  it('pattern_match semantics', () => {
    expect(patternMatch('FakeDataAgent', '*Agent,!FakeDataAgent')).toBe(false);
    expect(patternMatch('RegistryAgent', '*Agent,!FakeDataAgent')).toBe(true);
    expect(patternMatch('compute7', 'compute*,login*,!*9,!*8')).toBe(true);
    expect(patternMatch('login9', 'compute*,login*,!*9,!*8')).toBe(false);
    expect(patternMatch('x', '!y')).toBe(true);
  });
  it('override: empty pw2 matches everything, superuser is 4', () => {
    const ac = new AccessController(parseAccessPolicy('override:,pw3'), 0, 'A', 'a');
    expect(ac.credLevel(undefined)).toBe(2);
    expect(ac.credLevel('pw3')).toBe(3);
    expect(ac.credLevel(SUPERUSER)).toBe(4);
  });
  it('lockouts diminish privileges with the Python detail text', () => {
    const ac = new AccessController(parseAccessPolicy('director:d'), 0, 'A', 'a');
    ac.applyDirectorMessage({ ac_version: 1, reset: true, step: 1, rules: [
      { hashed_pass: { hash: 'none', value: 'pw' }, cred_level: 3 },
      { hashed_pass: { hash: 'none', value: 'grant' }, cred_level: 3, lockout_id: 'g', lockout_owner: 'o', lockout_levels: [3, 2] },
    ] }, 1);
    expect(ac.creds('pw')).toEqual({ level: 1, detail: "Privileges diminished; lockouts active: ['g[o]']" });
    expect(ac.creds('grant').level).toBe(3);
    expect(ac.rejection(2, 1, "Privileges diminished; lockouts active: ['g[o]']")).toBe(
      "The action requires credential level 2-ADVANCED but the client has only level 1-BASIC Privileges diminished; lockouts active: ['g[o]']",
    );
  });
});
