import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PasswordFileError, fnmatch, passwordsFilePath, resolvePassword } from '../src/client/index.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ocs-client-pw-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The example from the client_get_password docstring (ocs/access.py), ocs-protocol.md §5.4.
const file = path.join(dir, 'pw.yaml');
writeFileSync(
  file,
  [
    '- default: true',
    '  password_3: "general-access-password"',
    '- agent_class: "FakeDataAgent"',
    '  instance_id: "!faker4,!faker1"',
    '  password_2: "normal-faker-password"',
    '- instance_id: "faker*"',
    '  password_2: "special-faker-password"',
    '- instance_id: "faker4"',
    '  password_2: "special-faker4-password"',
  ].join('\n'),
);
const env = { OCS_PASSWORDS_FILE: file };

describe('resolvePassword (ocs-protocol.md §5.4)', () => {
  it('uses a string as the password and sends none for level 1 or undefined', () => {
    expect(resolvePassword('pw', 'X', 'x', env)).toBe('pw');
    expect(resolvePassword(1, 'X', 'x', env)).toBe('');
    expect(resolvePassword(undefined, 'X', 'x', env)).toBe('');
  });

  it('picks the most specific rule, later rules winning ties', () => {
    expect(resolvePassword(2, 'FakeDataAgent', 'faker1', env)).toBe('special-faker-password');
    expect(resolvePassword(2, 'FakeDataAgent', 'faker4', env)).toBe('special-faker4-password');
    expect(resolvePassword(2, 'FakeDataAgent', 'faker2', env)).toBe('special-faker-password');
    expect(resolvePassword(2, 'FakeDataAgent', 'other', env)).toBe('normal-faker-password');
    expect(resolvePassword(2, 'Aggregator', 'agg', env)).toBe('general-access-password');
  });

  it('serves level 3 only from password_3', () => {
    expect(resolvePassword(3, 'FakeDataAgent', 'faker4', env)).toBe('general-access-password');
  });

  it('returns no password when nothing matches', () => {
    const f = path.join(dir, 'none.yaml');
    writeFileSync(f, '- instance_id: "x*"\n  password_2: "p"\n');
    expect(resolvePassword(2, 'A', 'y', { OCS_PASSWORDS_FILE: f })).toBe('');
  });

  it('fails with PasswordFileError when the file is missing or not a list', () => {
    expect(() => resolvePassword(2, 'A', 'a', { OCS_PASSWORDS_FILE: path.join(dir, 'missing.yaml') })).toThrow(PasswordFileError);
    const f = path.join(dir, 'map.yaml');
    writeFileSync(f, 'a: 1\n');
    expect(() => resolvePassword(3, 'A', 'a', { OCS_PASSWORDS_FILE: f })).toThrow(PasswordFileError);
  });

  it('defaults to ~/.ocs-passwords.yaml', () => {
    expect(passwordsFilePath({})).toBe(path.join(os.homedir(), '.ocs-passwords.yaml'));
  });
});

describe('fnmatch', () => {
  it('matches *, ? and character classes like Python fnmatch on posix', () => {
    expect(fnmatch('faker12', 'faker*')).toBe(true);
    expect(fnmatch('faker1', 'faker?')).toBe(true);
    expect(fnmatch('faker12', 'faker?')).toBe(false);
    expect(fnmatch('faker3', 'faker[1-3]')).toBe(true);
    expect(fnmatch('faker3', 'faker[!1-3]')).toBe(false);
    expect(fnmatch('a.b', 'a?b')).toBe(true);
    expect(fnmatch('axb', 'a.b')).toBe(false);
    expect(fnmatch('Faker', 'faker')).toBe(false);
  });
});
