/**
 * Test helpers: autobahn-js WAMP clients (JSON or msgpack, float-preserving codecs) and a raw
 * WebSocket WAMP subscriber that keeps the exact JSON text of each EVENT.
 */
import autobahn, { type Session } from 'autobahn';
import { WebSocket } from 'ws';
import { httpCall, startAgent, startRouter, tmpDir, writeSiteConfig, type TestAgent, type TestRouter, type TmpDir } from '../src/testing/index.js';
import { autobahnSerializers, type SerializerName } from '../src/wamp/serializers.js';

import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { z } from 'zod';
import type { AgentDefinition } from '../src/index.js';

/** State of the fake-data agent (examples/fake-data). */
export interface FakeDataState {
  job: string | null;
}

// The example package depends on this one, so it is loaded by path (no project reference cycle).
const fakeDataUrl = pathToFileURL(resolve(import.meta.dirname, '../../../examples/fake-data/src/agent.ts')).href;

/** The fake-data agent definition of examples/fake-data. */
export const fakeDataAgent = ((await import(fakeDataUrl)) as { fakeDataAgent: AgentDefinition<Record<string, z.ZodType>, FakeDataState> }).fakeDataAgent;

/** An open autobahn-js client session. */
export interface WampClient extends AsyncDisposable {
  session: Session;
  close(): Promise<void>;
}

/** Join `realm` at `url` with the given serializer. */
export async function wampClient(url: string, serializer: SerializerName = 'json', realm = 'test_realm'): Promise<WampClient> {
  const conn = new autobahn.Connection({ url, realm, serializers: autobahnSerializers([serializer]), max_retries: 0, retry_if_unreachable: false, on_user_error: () => undefined });
  const session = await new Promise<Session>((resolve, reject) => {
    conn.onopen = (s) => resolve(s);
    conn.onclose = (reason) => {
      reject(new Error(`connection closed: ${reason}`));
      return true;
    };
    conn.open();
  });
  const close = async (): Promise<void> => {
    if (!session.isOpen) return;
    await new Promise<void>((resolve) => {
      conn.onclose = () => {
        resolve();
        return true;
      };
      conn.close();
    });
  };
  return { session, close, [Symbol.asyncDispose]: close };
}

/** A raw JSON WAMP subscriber: every EVENT frame's raw text is kept. */
export interface RawSubscriber extends AsyncDisposable {
  events: { raw: string; msg: unknown[] }[];
}

/** Subscribe over a raw `ws` socket (subprotocol wamp.2.json) to `topic`. */
export async function rawSubscribe(url: string, topic: string, options: Record<string, unknown> = {}, realm = 'test_realm'): Promise<RawSubscriber> {
  const ws = new WebSocket(url, ['wamp.2.json']);
  const events: { raw: string; msg: unknown[] }[] = [];
  await new Promise<void>((resolve, reject) => {
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify([1, realm, { roles: { subscriber: {} } }])));
    ws.on('message', (data) => {
      const raw = data.toString();
      const msg = JSON.parse(raw.replace(/\bNaN\b|-?Infinity/g, 'null')) as unknown[];
      if (msg[0] === 2) ws.send(JSON.stringify([32, 1, options, topic]));
      else if (msg[0] === 33) resolve();
      else if (msg[0] === 36) events.push({ raw, msg });
    });
  });
  return {
    events,
    [Symbol.asyncDispose]: async () => {
      ws.close();
    },
  };
}

/** Ops call through the HTTP bridge; returns the reply triple. */
export async function ops(httpUrl: string, address: string, args: unknown[], kwargs: Record<string, unknown> = {}): Promise<[number, string, Record<string, unknown>]> {
  const r = await httpCall(httpUrl, `${address}.ops`, args, kwargs);
  if (r.body.error !== undefined) throw new Error(`${r.body.error} ${JSON.stringify(r.body.args)}`);
  return r.body.args?.[0] as [number, string, Record<string, unknown>];
}

/** Management call through the HTTP bridge; returns args[0]. */
export async function mgmt(httpUrl: string, address: string, q: string, kwargs: Record<string, unknown> = {}): Promise<unknown> {
  const r = await httpCall(httpUrl, address, [q], kwargs);
  if (r.body.error !== undefined) throw new Error(`${r.body.error} ${JSON.stringify(r.body.args)}`);
  return r.body.args?.[0];
}

/** A router, a site config and the fake-data agent `faker` on it, as most scenario tests need. */
export interface FakeDataSite {
  router: TestRouter;
  dir: TmpDir;
  /** Path of the site config file (agent `faker`, class FakeDataAgent). */
  site: string;
  agent: TestAgent<Record<string, z.ZodType>, FakeDataState>;
  /** Closes the agent, then the router, then removes the temp dir. */
  close(): Promise<void>;
}

/** Starts a router on port 0 and the fake-data agent `observatory.faker` from a site config. */
export async function startFakeDataSite(): Promise<FakeDataSite> {
  const router = await startRouter();
  const dir = tmpDir();
  const site = writeSiteConfig(dir.path, { hubUrl: router.url, httpUrl: router.httpUrl, instances: [{ agentClass: 'FakeDataAgent', instanceId: 'faker' }] });
  const agent = await startAgent(fakeDataAgent, ['--site-file', site, '--instance-id', 'faker']);
  return {
    router, dir, site, agent,
    async close() {
      await agent.close();
      await router.close();
      await dir[Symbol.asyncDispose]();
    },
  };
}
