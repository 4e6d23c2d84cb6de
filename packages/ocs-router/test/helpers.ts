/**
 * Test clients for the router tests: autobahn-js sessions (the real client library agents use)
 * and a raw WebSocket WAMP client on wamp-codec for byte-level checks.
 */
import autobahn, { type Connection, type Session } from 'autobahn';
import { type WampSerializerId, serializers } from '@smurf-ocs/wamp-codec';
import { pino } from 'pino';
import WebSocket from 'ws';
import { onTestFinished } from 'vitest';

/** Logger for test routers: silent unless ROUTER_LOGLEVEL is set (e.g. `debug`). */
export const quiet = pino({ level: process.env.ROUTER_LOGLEVEL ?? 'silent' });

/** Serializers autobahn-js offers in these tests. */
export type AutobahnSerializerName = 'json' | 'msgpack';

/** Opens an autobahn-js session; it is closed when the test finishes. */
export async function joinAutobahn(url: string, serializer: AutobahnSerializerName, realm = 'test_realm'): Promise<{ session: Session; connection: Connection; details: Record<string, unknown> }> {
  const s = serializer === 'json' ? new autobahn.serializer.JSONSerializer() : new autobahn.serializer.MsgpackSerializer();
  const connection = new autobahn.Connection({ url, realm, serializers: [s], max_retries: 0, retry_if_unreachable: false });
  const opened = new Promise<{ session: Session; details: Record<string, unknown> }>((resolve, reject) => {
    connection.onopen = (session, details) => resolve({ session, details });
    connection.onclose = (reason, details) => {
      reject(new Error(`connection closed before open: ${reason} ${JSON.stringify(details)}`));
      return true; // no retry
    };
  });
  connection.open();
  onTestFinished(() => {
    try {
      connection.close();
    } catch {
      // already closed
    }
  });
  return { connection, ...(await opened) };
}

/** A raw WAMP client: sends messages with a wamp-codec serializer and queues what arrives. */
export class RawClient {
  readonly received: unknown[][] = [];
  readonly frames: (string | Buffer)[] = [];
  private waiters: (() => void)[] = [];
  closed = false;

  private constructor(
    readonly ws: WebSocket,
    readonly serializerId: WampSerializerId,
  ) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const frame = isBinary ? data : data.toString('utf8');
      this.frames.push(frame);
      this.received.push(serializers[serializerId].decode(frame, { lossless: true }));
      this.wake();
    });
    ws.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  /** Connects with `protocols` (default: only `serializerId`). */
  static async connect(url: string, serializerId: WampSerializerId, opts: { protocols?: string[]; autoPong?: boolean } = {}): Promise<RawClient> {
    const ws = new WebSocket(url, opts.protocols ?? [serializerId], { autoPong: opts.autoPong ?? true });
    onTestFinished(() => ws.terminate());
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    return new RawClient(ws, serializerId);
  }

  /** Connects and joins `realm` (HELLO with callee call_canceling), returning the WELCOME. */
  static async join(url: string, serializerId: WampSerializerId, realm = 'test_realm'): Promise<{ client: RawClient; welcome: unknown[] }> {
    const client = await RawClient.connect(url, serializerId);
    client.send([1, realm, { roles: { caller: {}, callee: { features: { call_canceling: true } }, publisher: {}, subscriber: {} } }]);
    const welcome = await client.next((m) => m[0] === 2);
    return { client, welcome };
  }

  send(msg: readonly unknown[]): void {
    const s = serializers[this.serializerId];
    this.ws.send(s.encode(msg), { binary: s.binary });
  }

  /** Sends raw text or bytes as one frame. */
  sendFrame(data: string | Uint8Array): void {
    this.ws.send(data, { binary: typeof data !== 'string' });
  }

  /** The first queued message matching `pred` (removed from the queue), waiting up to `ms`. */
  async next(pred: (m: unknown[]) => boolean = () => true, ms = 5000): Promise<unknown[]> {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = this.received.findIndex(pred);
      if (i >= 0) return this.received.splice(i, 1)[0]!;
      if (this.closed) throw new Error('socket closed while waiting for a message');
      if (Date.now() > deadline) throw new Error(`no matching message within ${ms} ms; got ${JSON.stringify(this.received, replacer)}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  /** Resolves once the socket is closed. */
  async waitClosed(ms = 5000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('socket still open');
      await new Promise<void>((r) => this.waiters.push(r) && setTimeout(r, 50));
    }
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}

function replacer(_k: string, v: unknown): unknown {
  return typeof v === 'bigint' ? `${v}n` : v;
}

/** Polls `check` until it returns true or `ms` passes. */
export async function eventually(check: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** POSTs `body` (a string, sent verbatim as bytes, so no Content-Type unless given, like Python requests) to the bridge; returns status, headers and raw text. */
export async function post(url: string, body: string, init: { method?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(url, { method: init.method ?? 'POST', body: init.method === 'GET' || init.method === 'OPTIONS' ? undefined : Buffer.from(body), headers: init.headers ?? {} });
  return { status: res.status, text: await res.text(), headers: res.headers };
}
