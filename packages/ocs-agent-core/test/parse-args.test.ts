import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { mergeArgs, splitArgs } from '../src/config/arg-container.js';
import { parseAgentArgs } from '../src/config/parse-args.js';
import { ConfigError } from '../src/errors.js';
import { tmpDir, writeSiteConfig } from '../src/testing/index.js';

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
