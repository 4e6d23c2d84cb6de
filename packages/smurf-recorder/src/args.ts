/**
 * Flags of the SMuRF recorder agent (spec B1; Python spelling and defaults), plus the new
 * SupRsync registration and key-order flags. The zod schemas are the single source of the
 * help text and of the flag table in docs/agents/smurf-recorder.md.
 */
import { z } from 'zod';

/**
 * `--auto-start` takes a value, as Python's `type=bool`. Python's [FLAW] (spec B1): any non-empty
 * string, including `"False"`, is True. Fixed: `false`, `0`, `no`, `off` and `` (any case) are
 * false; everything else is true.
 */
export function parseBoolish(v: string | boolean): boolean {
  if (typeof v === 'boolean') return v;
  return !['false', '0', 'no', 'off', ''].includes(v.trim().toLowerCase());
}

/** Agent flags (key = Python flag without dashes). */
export const recorderArgs = {
  'auto-start': z.union([z.string(), z.boolean()]).default('False').transform(parseBoolish)
    .describe('Automatically start listening for data at Agent startup (True/False).'),
  'time-per-file': z.number().int().default(600).describe('Amount of time in seconds to put in each file.'),
  'data-dir': z.string().default('/data/').describe('Location of data directory.'),
  port: z.number().int().min(1).max(65535).default(50000).describe('Port to listen on.'),
  address: z.string().default('localhost').describe('Address to listen to (host name, IPv4 or IPv6 literal).'),
  'stream-id': z.string().default('None').describe(
    'Stream id of recorded stream. If one is not present in the G3Frames, this is the stream-id that will be used to determine file paths.'),
  'target-rate': z.number().default(10).describe(
    'Target rate for monitored readout channels in Hz. This will be the rate that detector data is streamed to an OCS feed.'),
  'suprsync-db': z.string().optional().describe(
    'New: SupRsync SQLite db. Every closed file is registered there as <5 ctime digits>/<stream-id>/<file>.'),
  'suprsync-archive': z.string().default('timestreams').describe('New: archive name of the registered files.'),
  'frame-key-order': z.enum(['libstdc++', 'wire']).default('libstdc++').describe(
    'New: libstdc++ writes frames byte-identical to the Python recorder (spt3g G3Writer key order); wire writes the received bytes verbatim.'),
};
