// Golden-log test against the recorded Python wire transcript (../shared/specs/ocs-wire-transcript.jsonl):
// 1. HTTP: a node:http server replays the recorded bridge responses; OCSClient performs the same
//    actions as the Python OCSClient did, and must send exactly the recorded request bodies (as
//    JSON values) and decode exactly the recorded replies.
// 2. WAMP: the recorded `client_t` CALLs must equal what OCSClient over WAMP sends, as seen by a
//    bare autobahn callee on a real router.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRouter } from '../src/testing/index.js';
import { ControlClientError, OCSClient, jsonCodec, type OCSReply } from '../src/client/index.js';

const repoRoot = resolve(import.meta.dirname, '../../..');
const transcriptPath = resolve(repoRoot, '../shared/specs/ocs-wire-transcript.jsonl');

interface Row {
  ev?: string;
  id?: string;
  body?: unknown;
  raw?: string;
  code?: number;
  msg?: unknown[];
  dir?: string;
}

/** Transcript rows grouped by phase id. */
function phases(): Map<string, Row[]> {
  const out = new Map<string, Row[]>();
  let current: Row[] = [];
  for (const line of readFileSync(transcriptPath, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const row = jsonCodec.parse(line) as Row;
    if (row.ev === 'phase') out.set(row.id!, (current = []));
    else current.push(row);
  }
  return out;
}

const recorded = phases();
const HTTP_PHASES = ['http-get-api', 'http-task', 'http-abort', 'http-process', 'err-no-agent', 'err-unknown-op'];

/** Recorded [request body, response] pairs of the given phases, in order. */
function httpExchanges(): { request: unknown; code: number; raw: string }[] {
  const out: { request: unknown; code: number; raw: string }[] = [];
  for (const id of HTTP_PHASES) {
    // Each request is followed (after the router's WAMP frames) by its response.
    let request: unknown;
    for (const r of recorded.get(id) ?? []) {
      if (r.ev === 'http_request') request = jsonCodec.parse(r.body as string);
      else if (r.ev === 'http_response' && request !== undefined) {
        out.push({ request, code: r.code!, raw: r.raw! });
        request = undefined;
      }
    }
  }
  return out;
}

describe('HTTP requests and replies match the Python transcript (§2.2, §3.1)', () => {
  const exchanges = httpExchanges();
  const sent: unknown[] = [];
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const next = exchanges[sent.length];
        sent.push(jsonCodec.parse(Buffer.concat(chunks).toString('utf8')));
        res.writeHead(next?.code ?? 500);
        res.end(next?.raw ?? '{"error":"transcript exhausted","args":[],"kwargs":{}}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/call`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  it('replays get_api, task, abort, process and error phases', async () => {
    expect(exchanges.length).toBe(14);
    const replies: OCSReply[] = [];
    await using client = await OCSClient.connect('fake-data-1', { siteHttp: url, site: 'none' });
    const delay = client.task('delay_task');
    const acq = client.process('acq');
    replies.push(await delay.start({ delay: 0.5 }), await delay.wait(5), await delay.status());
    replies.push(await delay.start({ delay: 5 }), await delay.abort(), await delay.wait(5));
    replies.push(await acq.start(), await acq.status(), await acq.stop(), await acq.wait(5));
    const missing = await OCSClient.connect('no-such-agent', { siteHttp: url, site: 'none' }).catch((e: unknown) => e);
    replies.push(await client.request({ action: 'start', opName: 'no_such_op' }), await client.request({ action: 'frobnicate', opName: 'acq' }));

    expect(sent).toEqual(exchanges.map((x) => x.request));
    const expectedReplies = exchanges
      .map((x) => jsonCodec.parse(x.raw) as { args?: [unknown]; error?: string })
      .filter((b, i) => i > 0 && b.error === undefined)
      .map((b) => {
        const [status, msg, session] = b.args![0] as [number, string, unknown];
        return { status, msg, session };
      });
    expect(replies).toEqual(expectedReplies);
    expect(client.api.agent_class).toBe('FakeDataAgent');
    expect((missing as ControlClientError).uri).toBe('wamp.error.no_such_procedure');
  });
});

describe('WAMP requests match the recorded client_t CALLs (§2.2)', () => {
  it('start/status/stop/wait on count and acq', async () => {
    const calls = (recorded.get('wamp-client') ?? [])
      .filter((r) => r.dir === 'rx' && r.msg?.[0] === 48 && r.msg[3] === 'observatory.fake-data-1.ops')
      .map((r) => ({ args: r.msg![4], kwargs: r.msg![5] }));
    expect(calls.length).toBe(7);

    await using router = await startRouter();
    const seen: { args: unknown; kwargs: unknown }[] = [];
    const callee = await joinCallee(router.url, (args, kwargs) => {
      seen.push({ args, kwargs });
      return [0, 'ok', {}];
    });
    try {
      await using client = await OCSClient.connect('fake-data-1', { siteHub: router.url, realm: 'test_realm', transport: 'wamp', site: 'none' });
      const count = client.process('count');
      const acq = client.process('acq');
      await count.start();
      await count.status();
      await count.stop();
      await count.wait(5);
      await acq.start();
      await acq.stop();
      await acq.wait(5);
      expect(seen).toEqual(calls);
    } finally {
      callee.close();
    }
  });
});

interface AbSession {
  register(uri: string, fn: (args: unknown[], kwargs: Record<string, unknown>) => unknown): Promise<unknown>;
}
const autobahn = createRequire(import.meta.url)('autobahn') as {
  Connection: new (o: Record<string, unknown>) => { onopen: (s: AbSession) => void; onclose: () => boolean; open(): void; close(): void };
};

/** A bare callee for `observatory.fake-data-1` with the recorded get_api and the given ops handler. */
async function joinCallee(url: string, ops: (args: unknown[], kwargs: Record<string, unknown>) => unknown): Promise<{ close(): void }> {
  const apiRaw = httpExchanges()[0]!.raw;
  const api = (jsonCodec.parse(apiRaw) as { args: [unknown] }).args[0];
  const conn = new autobahn.Connection({ url, realm: 'test_realm', max_retries: 0, use_es6_promises: true });
  await new Promise<void>((ready, fail) => {
    conn.onopen = (s) => {
      Promise.all([s.register('observatory.fake-data-1.ops', ops), s.register('observatory.fake-data-1', () => api)]).then(() => ready(), fail);
    };
    conn.onclose = () => {
      fail(new Error('callee connection closed'));
      return true;
    };
    conn.open();
  });
  return { close: () => conn.close() };
}
