/**
 * Flags of the SmurfStreamSimulator agent (suprsync-recorder.md §B7). Python spelling and
 * defaults; `--bind-address`, `--frame-rate`, `--sample-rate` and `--max-queue-size` are
 * additions of this port.
 */
import { z } from 'zod';

/** Strings that turn a valued boolean flag off (compared case-insensitively). */
const FALSE_WORDS = new Set(['', 'false', '0', 'no', 'off', 'none']);

/**
 * `--auto-start <value>` as a site config passes it (`['--auto-start', True]` → `"True"`).
 * compat: Python's `type=bool` makes every non-empty string true, including `"False"`
 * (§B1/§B7 [FLAW]); here `False`, `0`, `no`, `off`, `none` and `''` are false.
 */
export function parseFlagBool(value: string | undefined): boolean {
  return value !== undefined && !FALSE_WORDS.has(value.trim().toLowerCase());
}

/** The agent flags (zod schemas; `.describe()` is the `--help` text). */
export const simulatorArgs = {
  'auto-start': z
    .string()
    .optional()
    .transform(parseFlagBool)
    .describe('Start the stream process (and a data stream) at agent startup. Takes a value: True/False.'),
  'target-host': z
    .string()
    .default('*')
    .describe("'*' = listen for readers (the usual mode); a host name = connect out to a reader listening there (G3Reader tcp://*:port)."),
  port: z.number().int().min(0).max(65535).default(50000).describe('TCP port to listen on (0 = any free port), or to connect to.'),
  'bind-address': z
    .string()
    .default('*')
    .describe("Interface to listen on when --target-host is '*': '*' = all (IPv6 dual-stack), or an address such as 127.0.0.1."),
  'num-chans': z.number().int().min(0).default(528).describe('Number of detector channels to simulate (r0000 ...).'),
  'stream-id': z.string().default('stream_sim').describe('Stream ID (sostream_id) put into Observation and Scan frames.'),
  'frame-rate': z.number().positive().default(1).describe('Default frame_rate of the stream process: Scan frames per second [Hz].'),
  'sample-rate': z.number().positive().default(10).describe('Default sample_rate of the stream process: samples per channel per second [Hz].'),
  'max-queue-size': z
    .number()
    .int()
    .min(0)
    .default(0)
    .describe('Per-client queue limit in frames; Scan frames are dropped for a client holding this many. 0 = unbounded, as Python.'),
};
