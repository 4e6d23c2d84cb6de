import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SiteConfigError, resolveHubSettings } from '../src/client/index.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ocs-client-scf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scf = path.join(dir, 'default.yaml');
writeFileSync(
  scf,
  [
    'hub:',
    '  wamp_server: ws://hub:8001/ws',
    '  wamp_http: http://hub:8001/call',
    '  wamp_realm: test_realm',
    '  address_root: observatory',
    'hosts:',
    '  special-host:',
    '    wamp_http: http://special:9001/call',
    '    agent-instances: []',
    '  localhost:',
    '    agent-instances: []',
  ].join('\n'),
);

describe('resolveHubSettings (ocs-protocol.md §7.2)', () => {
  it('reads the hub block of an explicit site file', () => {
    expect(resolveHubSettings({ siteFile: scf, siteHost: 'nowhere' }, {})).toEqual({
      wampServer: 'ws://hub:8001/ws',
      wampHttp: 'http://hub:8001/call',
      wampRealm: 'test_realm',
      addressRoot: 'observatory',
      siteFile: scf,
    });
  });

  it('lets the matching host block override the hub, and options override both', () => {
    expect(resolveHubSettings({ siteFile: scf, siteHost: 'special-host' }, {}).wampHttp).toBe('http://special:9001/call');
    const s = resolveHubSettings({ siteFile: scf, siteHost: 'special-host', siteHttp: 'http://cli/call', addressRoot: 'r', realm: 'x' }, {});
    expect([s.wampHttp, s.addressRoot, s.wampRealm]).toEqual(['http://cli/call', 'r', 'x']);
  });

  it('finds <site>.yaml in OCS_CONFIG_DIR and works without any file', () => {
    expect(resolveHubSettings({}, { OCS_CONFIG_DIR: dir }).wampRealm).toBe('test_realm');
    expect(resolveHubSettings({ siteHttp: 'http://h/call' }, {})).toEqual({ wampHttp: 'http://h/call', addressRoot: 'observatory' });
    expect(resolveHubSettings({ site: 'none', siteHub: 'ws://h/ws' }, { OCS_CONFIG_DIR: dir }).wampHttp).toBeUndefined();
  });

  it('throws SiteConfigError for an unreadable file or a file without hub', () => {
    expect(() => resolveHubSettings({ siteFile: path.join(dir, 'nope.yaml') }, {})).toThrow(SiteConfigError);
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'hosts: {}\n');
    expect(() => resolveHubSettings({ siteFile: bad }, {})).toThrow(SiteConfigError);
  });
});
