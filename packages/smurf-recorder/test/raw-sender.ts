/**
 * A minimal G3 sender for tests: a TCP server on 127.0.0.1:0 that writes whatever bytes the test
 * gives it to every connected client (the byte stream is exactly the file format, g3-format.md §5).
 * Used for the raw-socket scenarios (garbage, truncation, stalls) and for replaying fixture frames.
 */
import net from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { decodeFrames, G3Frame, G3Int, G3String, encodeFrame, type G3Frame as Frame } from '@smurf-ocs/g3-frame';
import { fixturesDir, waitFor } from './helpers.js';

/** A listening raw sender. */
export interface RawSender {
  port: number;
  clients: net.Socket[];
  /** Wait until `n` clients have connected in total. */
  waitForClients(n: number): Promise<void>;
  /** Write bytes to every open client. */
  send(bytes: Uint8Array): void;
  /** End (FIN) every client connection. */
  endClients(): void;
  close(): Promise<void>;
}

/** Start a raw sender on `port` (0 = ephemeral). */
export async function startRawSender(port = 0): Promise<RawSender> {
  const clients: net.Socket[] = [];
  let total = 0;
  const server = net.createServer((s) => {
    total += 1;
    clients.push(s);
    s.on('error', () => undefined);
    s.on('close', () => clients.splice(clients.indexOf(s), 1));
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    clients,
    waitForClients: async (n) => void (await waitFor(() => total >= n, 20_000, `${n} clients`)),
    send: (bytes) => clients.forEach((c) => c.write(bytes)),
    endClients: () => clients.forEach((c) => c.end()),
    close: async () => {
      clients.forEach((c) => c.destroy());
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** The 11 frames of fixture smurf_sim_stream.g3 (what the socs simulator sends). */
export function simStreamFrames(): Frame[] {
  return decodeFrames(readFileSync(path.join(fixturesDir, 'smurf_sim_stream.g3')));
}

/** Raw bytes of a frame read from a fixture. */
export function rawOf(f: Frame): Uint8Array {
  return f.raw ?? encodeFrame(f);
}

/** A flow-control `N` frame with the given G3Int value. */
export function flowFrame(value: number): Uint8Array {
  return encodeFrame(new G3Frame(0x4e, [['sostream_flowcontrol', new G3Int(BigInt(value))]]));
}

/** A Scan frame with `frame_num` and `sostream_id`. */
export function scanFrame(n: number, streamId = 'stream_sim'): Uint8Array {
  return encodeFrame(new G3Frame(0x53, [['frame_num', new G3Int(BigInt(n))], ['sostream_id', new G3String(streamId)]]));
}
