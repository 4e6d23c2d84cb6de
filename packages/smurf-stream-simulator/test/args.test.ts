import { parseAgentArgs } from '@smurf-ocs/ocs-agent-core';
import { describe, expect, it } from 'vitest';
import { parseFlagBool, simulatorArgs } from '../src/args.js';

const parse = (argv: string[]) =>
  parseAgentArgs({ agentClass: 'SmurfStreamSimulator', args: simulatorArgs, argv: ['--site', 'none', '--site-hub', 'ws://127.0.0.1:1/ws', '--instance-id', 'sim', ...argv], env: {} }).args as Record<string, unknown>;

describe('flags (suprsync-recorder.md §B7)', () => {
  it('defaults as Python', () => {
    expect(parse([])).toMatchObject({ autoStart: false, targetHost: '*', bindAddress: '*', port: 50000, numChans: 528, streamId: 'stream_sim', frameRate: 1, sampleRate: 10, maxQueueSize: 0 });
  });

  it('parses values given as strings (site config style)', () => {
    expect(parse(['--auto-start', 'True', '--port', '4536', '--num-chans', '4096', '--stream-id', 'crate1slot2', '--sample-rate', '200'])).toMatchObject({
      autoStart: true,
      port: 4536,
      numChans: 4096,
      streamId: 'crate1slot2',
      sampleRate: 200,
    });
  });

  it('rejects bad numbers as usage errors', () => {
    expect(() => parse(['--num-chans', 'many'])).toThrow(/num-chans/);
    expect(() => parse(['--frame-rate', '0'])).toThrow(/frame-rate/);
  });

  it('--auto-start: False-like words are false (Python bool("False") is True: fixed)', () => {
    expect(['True', 'true', '1', 'yes'].map(parseFlagBool)).toEqual([true, true, true, true]);
    expect(['False', 'false', '0', 'no', 'off', 'None', ''].map(parseFlagBool)).toEqual(Array(7).fill(false));
    expect(parseFlagBool(undefined)).toBe(false);
  });
});
