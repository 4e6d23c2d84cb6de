import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { mergeArgs, splitArgs } from '../src/config/arg-container.js';
import { parseAgentArgs } from '../src/config/parse-args.js';
import { ConfigError } from '../src/errors.js';
import { spawnAgent, tmpDir, writeSiteConfig } from '../src/testing/index.js';
import { COMMON_FLAGS } from '../src/config/common-args.js';

const agentArgs = {
  mode: z.enum(['idle', 'acq']).default('idle'),
  'num-channels': z.number().int().default(2),
  'sample-rate': z.number().default(9.5),
  verbose: z.boolean().default(false),
};

function parse(argv: string[], env: Record<string, string> = {}) {
  return parseAgentArgs({ agentClass: 'FakeDataAgent', args: agentArgs, argv, env });
}

function thrown(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    return e as ConfigError;
  }
  throw new Error('did not throw');
}

describe('ArgContainer merge (7.3)', () => {
  it('splits flags; -5 is a value', () => {
    expect([...splitArgs(['pos', '--a', '1', '-5', '--b']).entries()].slice(1)).toEqual([
      ['--a', ['1', '-5']],
      ['--b', []],
    ]);
  });
  it('CLI replaces SCF values in place and appends new flags', () => {
    expect(mergeArgs(['--mode', 'acq', '--num-channels', '4'], ['--num-channels', '8', '--verbose'])).toEqual(['--mode', 'acq', '--num-channels', '8', '--verbose']);
    expect(mergeArgs(['--mode=acq'], ['--mode', 'idle'])).toEqual(['--mode=acq', '--mode', 'idle']);
  });
});

describe('parseAgentArgs', () => {
  it('merges site config arguments, CLI and env', async () => {
    await using dir = tmpDir();
    const site = writeSiteConfig(dir.path, {
      hubUrl: 'ws://127.0.0.1:1/ws',
      crossbarTimeout: 3,
      instances: [{ agentClass: 'FakeDataAgent', instanceId: 'fd1', arguments: [['--mode', 'acq'], '--num-channels', 4, '--access-policy', 'override:a,b'] }],
    });
    const { args } = parse(['--site-file', site, '--num-channels', '8']);
    expect(args).toMatchObject({ instanceId: 'fd1', mode: 'acq', numChannels: 8, sampleRate: 9.5, verbose: false, crossbarTimeout: 3, accessPolicy: 'override:a,b' });
    expect(args).toMatchObject({ siteHub: 'ws://127.0.0.1:1/ws', siteHttp: 'http://127.0.0.1:1/call', siteRealm: 'test_realm', addressRoot: 'observatory' });
    const env = parse(['--site-file', site], { SITE_HUB: 'ws://other/ws', CROSSBAR_TIMEOUT: '0', INSTANCE_ID: 'fd1' }).args;
    expect(env).toMatchObject({ siteHub: 'ws://other/ws', crossbarTimeout: 0 });
  });
  it('finds the site file in OCS_CONFIG_DIR and selects the instance', async () => {
    await using dir = tmpDir();
    writeSiteConfig(dir.path, { hubUrl: 'ws://h/ws', instances: [{ agentClass: 'X', instanceId: 'x1' }, { agentClass: 'FakeDataAgent', instanceId: 'fd9' }] });
    expect(parse([], { OCS_CONFIG_DIR: dir.path }).args.instanceId).toBe('fd9');
    expect(thrown(() => parse(['--instance-id', 'nope'], { OCS_CONFIG_DIR: dir.path })).message).toBe('Could not find matching device description.');
  });
  it('rejects unknown flags and bad values with exit status 2', async () => {
    await using dir = tmpDir();
    const site = writeSiteConfig(dir.path, { hubUrl: 'ws://h/ws', instances: [{ agentClass: 'FakeDataAgent', instanceId: 'fd1' }] });
    const e = thrown(() => parse(['--site-file', site, '--bogus', '1']));
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain("unknown option '--bogus'");
    expect(thrown(() => parse(['--site-file', site, '--num-channels', 'x'])).message).toBe("argument --num-channels: invalid int value: 'x'");
    expect(thrown(() => parse(['--site-file', site, '--mode', 'run'])).message).toBe("argument --mode: invalid choice: 'run' (choose from 'idle', 'acq')");
    expect(thrown(() => parse(['--site-file', site, '--site', 'x'])).exitCode).toBe(2);
  });
  it('--help exits 0 before any site config is needed', () => {
    const write = process.stdout.write.bind(process.stdout);
    let text = '';
    process.stdout.write = ((chunk: string) => ((text += chunk), true)) as typeof process.stdout.write;
    try {
      expect(thrown(() => parse(['--help'])).exitCode).toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect(text).toContain('--num-channels <value>');
  });
  it('works without a site file given --site none, hub and instance id', () => {
    const { args } = parse(['--site', 'none', '--site-hub', 'ws://h/ws', '--instance-id', 'a']);
    expect(args).toMatchObject({ instanceId: 'a', siteHub: 'ws://h/ws', crossbarTimeout: 10, accessPolicy: 'none' });
  });
});

// Review item: `--help` of an agent bin failed unless a site config (or --site none with hub and
// instance id) was given. It must print the usage and exit 0 without any site config.
describe('--help of an agent bin', () => {
  const BIN = resolve(import.meta.dirname, '../../../examples/fake-data/bin/fake-data-agent.ts');
  const cases: [string, string[], Record<string, string>][] = [
    ['no site config at all', ['--help'], {}],
    ['-h with an unreadable site file and a bad flag', ['--site-file', '/nonexistent/site.yaml', '--bogus', '-h'], {}],
    ['OCS_CONFIG_DIR pointing nowhere', ['--help'], { OCS_CONFIG_DIR: '/nonexistent' }],
  ];
  it.each(cases)('prints common and agent flags with descriptions and defaults, exit 0 (%s)', async (_name, argv, env) => {
    await using dir = tmpDir();
    await using proc = await spawnAgent(BIN, argv, env, { waitRegistered: false, cwd: dir.path });
    const exit = await proc.exited;
    const out = proc.logs.map((l) => String(l.msg)).join('\n');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(proc.stderr()).toBe('');
    expect(out).toMatch(/^Usage: FakeDataAgent \[options\]/);
    expect(out).toContain('Fake data agent: publishes fake temperatures for testing OCS.');
    for (const { flag } of COMMON_FLAGS) expect(out).toContain(`--${flag} <value>`);
    const flat = out.replace(/\s+/g, ' ');
    expect(flat).toContain('--mode <value> Startup mode: "acq" starts acq and count on startup. (choices: "idle", "acq") (default: "idle")');
    expect(flat).toContain('--num-channels <value> Number of fake readout channels to produce. Channels are co-sampled. (default: 2)');
    expect(flat).toContain('--sample-rate <value> Frequency at which to produce data. (default: 9.5)');
    expect(flat).toContain('--frame-length <value> Frame length to pass to the aggregator parameters. (default: 60)');
    expect(flat).toContain('--crossbar-timeout <value> Seconds to wait for a rejoin before shutting down, 0 = forever (host crossbar_timeout; default 10).');
    expect(out.indexOf('--access-policy')).toBeLessThan(out.indexOf('--mode')); // common site arguments first
  });
});
