// The HTTP caller-bridge client (ocs-protocol.md §3.1) against a plain node:http server on port 0
// that records requests and answers canned bodies, as crossbar's bridge would.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECTION_ERROR_URI, ControlClientError, HttpControlTransport, REQUEST_ERROR_URI } from '../src/client/index.js';

interface Seen {
  method: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
const seen: Seen[] = [];
let reply: { code: number; body: string } = { code: 200, body: '{"args":[null]}' };
let server: http.Server;
let url: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(reply.code, { 'Content-Type': 'application/json' });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/call`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('HttpControlTransport', () => {
  it('POSTs {procedure, args, kwargs} without a Content-Type and returns args[0]', async () => {
    const t = new HttpControlTransport(url);
    reply = { code: 200, body: '{"args":[[0,"Session active.",{"data":{"x":NaN,"y":-Infinity}}]]}' };
    const result = await t.call('observatory.faker.ops', ['wait', 'delay_task', {}], { timeout: null });
    await t.close();
    const last = seen.at(-1)!;
    expect(last.method).toBe('POST');
    expect(last.headers['content-type']).toBeUndefined();
    expect(JSON.parse(last.body)).toEqual({ procedure: 'observatory.faker.ops', args: ['wait', 'delay_task', {}], kwargs: { timeout: null } });
    expect(result).toEqual([0, 'Session active.', { data: { x: Number.NaN, y: Number.NEGATIVE_INFINITY } }]);
  });

  it('raises the bridge error URI with its args and kwargs (HTTP 200 error body)', async () => {
    const t = new HttpControlTransport(url);
    reply = { code: 200, body: '{"error":"wamp.error.no_such_procedure","args":["no callee registered for procedure <observatory.nope>"],"kwargs":{}}' };
    const err = await t.call('observatory.nope', ['get_api'], {}).catch((e: unknown) => e);
    await t.close();
    expect(err).toBeInstanceOf(ControlClientError);
    const e = err as ControlClientError;
    expect(e.uri).toBe('wamp.error.no_such_procedure');
    expect(e.args).toEqual(['no callee registered for procedure <observatory.nope>']);
    expect(e.toPythonTuple()[4]).toBe('wamp.error.no_such_procedure');
    expect(e.code).toBe('OCS_ERR_CONTROL_CLIENT');
  });

  it('maps a non-200 status to client_http.error.request_error', async () => {
    const t = new HttpControlTransport(url);
    reply = { code: 500, body: '{"error":"wamp.error.runtime_error","args":["Sorry"],"kwargs":{}}' };
    const err = (await t.call('observatory.x', [], {}).catch((e: unknown) => e)) as ControlClientError;
    await t.close();
    expect([err.uri, err.args]).toEqual([REQUEST_ERROR_URI, ['Server replied with code 500']]);
  });

  it('maps a refused connection to client_http.error.connection_error', async () => {
    const probe = http.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const deadUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/call`;
    await new Promise((resolve) => probe.close(resolve));
    const t = new HttpControlTransport(deadUrl);
    const err = (await t.call('observatory.x', [], {}).catch((e: unknown) => e)) as ControlClientError;
    await t.close();
    expect([err.uri, err.args]).toEqual([CONNECTION_ERROR_URI, [`Failed to connect to ${deadUrl}`]]);
  });
});
