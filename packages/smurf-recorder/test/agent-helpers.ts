/** Helpers for agent-level tests: ops over the HTTP bridge, a fixture-fed G3NetworkSender. */
import { G3NetworkSender, type G3Frame } from '@smurf-ocs/g3-frame';
import { httpCall } from '@smurf-ocs/ocs-agent-core/testing';
import { simStreamFrames } from './raw-sender.js';

/** Reply triple of an ops call `[code, message, session]`. */
export type OpsReply = [number, string, Record<string, unknown>];

/** Call `<address>.ops` through the bridge. */
export async function ops(httpUrl: string, address: string, args: unknown[]): Promise<OpsReply> {
  const r = await httpCall(httpUrl, `${address}.ops`, args, {});
  if (r.body.error !== undefined) throw new Error(`${r.body.error} ${JSON.stringify(r.body.args)}`);
  return r.body.args?.[0] as OpsReply;
}

/** `session.data` of the record process. */
export async function recordData(httpUrl: string, address: string): Promise<Record<string, unknown>> {
  return (await ops(httpUrl, address, ['status', 'record', {}]))[2].data as Record<string, unknown>;
}

/** The fixture simulator frames by role. */
export function simFrames(): { start: G3Frame; obs: G3Frame; alive: G3Frame; scans: G3Frame[]; end: G3Frame; cleanseO: G3Frame; cleanseW: G3Frame } {
  const f = simStreamFrames();
  return { start: f[0]!, obs: f[1]!, alive: f[2]!, scans: [f[3]!, f[5]!, f[7]!], end: f[8]!, cleanseO: f[9]!, cleanseW: f[10]! };
}

/**
 * A G3NetworkSender on 127.0.0.1 that sends an ALIVE every `ms` (clients are only accepted when a
 * frame is sent, g3-format.md §5.1).
 */
export async function aliveSender(port = 0, ms = 200): Promise<{ sender: G3NetworkSender; stop: () => Promise<void> }> {
  const sender = await G3NetworkSender.listen({ port, host: '127.0.0.1' });
  const { alive } = simFrames();
  const t = setInterval(() => sender.send(alive), ms);
  return {
    sender,
    stop: async () => {
      clearInterval(t);
      await sender.close();
    },
  };
}
