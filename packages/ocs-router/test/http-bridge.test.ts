import autobahn from 'autobahn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Router, startRouter } from '../src/index.js';
import { eventually, joinAutobahn, post, RawClient, quiet } from './helpers.js';

let router: Router;
beforeAll(async () => {
  router = await startRouter({ logger: quiet, port: 0 });
});
afterAll(() => router.close());

const call = (procedure: string, args: unknown[] = [], kwargs: object = {}): string => JSON.stringify({ procedure, args, kwargs });

describe('HTTP caller bridge: results and errors (ocs-protocol.md 3.2)', () => {
  it('returns a single result as {"args":[value]} with a missing Content-Type', async () => {
    const { session } = await joinAutobahn(router.url, 'json');
    await session.register('observatory.faker', (args, kwargs) => ({ q: args[0], kw: kwargs }));
    const res = await post(router.httpUrl, call('observatory.faker', ['get_api'], { password: 'x' }));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json; charset=UTF-8');
    expect(res.text).toBe('{"args":[{"q":"get_api","kw":{"password":"x"}}]}');
  });

  it('accepts application/json with charset utf-8 and PUT', async () => {
    const { session } = await joinAutobahn(router.url, 'msgpack');
    await session.register('observatory.put', () => 'ok');
    const res = await post(router.httpUrl, call('observatory.put'), { method: 'PUT', headers: { 'Content-Type': 'application/json; charset=utf-8' } });
    expect([res.status, res.text]).toEqual([200, '{"args":["ok"]}']);
  });

  it('renders no result as null, several results as args, kwargs results as kwargs', async () => {
    const { session } = await joinAutobahn(router.url, 'json');
    await session.register('observatory.none', () => undefined);
    await session.register('observatory.many', () => new autobahn.Result([1, 2]));
    await session.register('observatory.kw', () => new autobahn.Result([], { a: 1 }));
    expect((await post(router.httpUrl, call('observatory.none'))).text).toBe('{"args":[null]}');
    expect((await post(router.httpUrl, call('observatory.many'))).text).toBe('{"args":[1,2]}');
    expect((await post(router.httpUrl, call('observatory.kw'))).text).toBe('{"kwargs":{"a":1}}');
  });

  it('keeps floats, NaN tokens and big ints from a raw JSON callee', async () => {
    const { client } = await RawClient.join(router.url, 'wamp.2.json');
    client.send([64, 1, {}, 'observatory.nan']);
    await client.next((m) => m[0] === 65);
    const pending = post(router.httpUrl, '{"procedure":"observatory.nan","args":[5.0, NaN],"kwargs":{"timeout":null}}');
    const inv = await client.next((m) => m[0] === 68);
    expect(client.frames.at(-1)).toMatch(/,\{\},\[5\.0,NaN\],\{"timeout":null\}\]$/);
    client.sendFrame(`[70,${inv[1] as number},{},[{"v":NaN,"t":1700000000.0,"i":9223372036854775807,"u":"µK"}]]`);
    const res = await pending;
    expect([res.status, res.text]).toEqual([200, '{"args":[{"v":NaN,"t":1700000000.0,"i":9223372036854775807,"u":"µK"}]}']);
  });

  it('maps a callee ApplicationError to HTTP 200 with error, args, kwargs', async () => {
    const { session } = await joinAutobahn(router.url, 'json');
    await session.register('observatory.err', () => {
      throw new autobahn.Error('wamp.error.runtime_error', ['boom'], { why: 1 });
    });
    const res = await post(router.httpUrl, call('observatory.err'));
    expect([res.status, res.text]).toEqual([200, '{"error":"wamp.error.runtime_error","args":["boom"],"kwargs":{"why":1}}']);
  });

  it('answers an unknown procedure with the exact crossbar body (scenario 20a)', async () => {
    const res = await post(router.httpUrl, call('observatory.nope', ['get_api']));
    expect([res.status, res.text]).toEqual([200, '{"error":"wamp.error.no_such_procedure","args":["no callee registered for procedure <observatory.nope>"],"kwargs":{}}']);
  });

  it('calls as iocs_controller: outside the root is not_authorized', async () => {
    const res = await post(router.httpUrl, call('elsewhere.proc'));
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text) as { error: string; args: string[] };
    expect(body.error).toBe('wamp.error.not_authorized');
    expect(body.args[0]).toMatch(/authrole="iocs_controller"\) is not authorized to call procedure "elsewhere.proc" on realm "test_realm"$/);
  });

  it('reports canceled when the callee drops during the call', async () => {
    const callee = await joinAutobahn(router.url, 'json');
    let invoked = false;
    await callee.session.register('observatory.hang', () => {
      invoked = true;
      return new Promise(() => {});
    });
    const pending = post(router.httpUrl, call('observatory.hang'));
    await eventually(() => invoked);
    callee.connection.close();
    const res = await pending;
    expect([res.status, res.text]).toEqual([200, '{"error":"wamp.error.canceled","args":["callee disconnected from in-flight request"],"kwargs":{}}']);
  });

  it('defaults falsy args/kwargs and passes a 1 MiB argument', async () => {
    const { session } = await joinAutobahn(router.url, 'msgpack');
    await session.register('observatory.len', (args, kwargs) => [args.length === 0 ? 0 : (args[0] as string).length, kwargs]);
    expect((await post(router.httpUrl, '{"procedure":"observatory.len","args":null,"kwargs":null}')).text).toBe('{"args":[[0,{}]]}');
    expect((await post(router.httpUrl, '{"procedure":"observatory.len"}')).text).toBe('{"args":[[0,{}]]}');
    const big = await post(router.httpUrl, call('observatory.len', ['y'.repeat(1 << 20)]));
    expect(big.text).toBe(`{"args":[[${1 << 20},{}]]}`);
  });
});

describe('HTTP caller bridge: request checks', () => {
  it('rejects other methods with 405 and answers OPTIONS with CORS', async () => {
    const get = await post(router.httpUrl, '', { method: 'GET' });
    expect([get.status, get.text]).toEqual([405, '{"error":"HTTP/GET not allowed (allowed: POST, PUT)","args":[],"kwargs":{}}']);
    const del = await post(router.httpUrl, '', { method: 'DELETE' });
    expect(del.status).toBe(405);
    const opt = await post(router.httpUrl, '', { method: 'OPTIONS', headers: { Origin: 'http://x', 'Access-Control-Request-Headers': 'content-type' } });
    expect(opt.status).toBe(200);
    expect(opt.headers.get('access-control-allow-origin')).toBe('*');
    expect(opt.headers.get('access-control-allow-methods')).toContain('POST');
    expect(opt.headers.get('access-control-allow-headers')).toBe('content-type');
  });

  it.each([
    ['text/plain', "bad or missing content type, should be 'application/json'"],
    ['application/json; charset=latin-1', "'latin-1' is not an accepted charset encoding, must be utf-8"],
  ])('rejects Content-Type %s with 400', async (ct, text) => {
    const res = await post(router.httpUrl, call('observatory.x'), { headers: { 'Content-Type': ct } });
    expect([res.status, res.text]).toEqual([400, JSON.stringify({ error: text, args: [], kwargs: {} })]);
  });

  it.each([
    ['{not json', /^invalid request event - HTTP\/POST\|PUT body must be valid JSON: /],
    ['[1,2]', /^invalid request event - HTTP\/POST\|PUT body must be JSON dict$/],
    ['{"args": []}', /^invalid request event - HTTP\/POST\|PUT body must contain a 'procedure' field$/],
    ['{"procedure": 5}', /'procedure' must be a string/],
    ['{"procedure": "observatory.x", "args": {"a": 1}}', /'args' must be a list/],
  ])('rejects body %s with 400 and an error body', async (body, pattern) => {
    const res = await post(router.httpUrl, body);
    expect(res.status).toBe(400);
    const parsed = JSON.parse(res.text) as { error: string; args: unknown[]; kwargs: object };
    expect(parsed.error).toMatch(pattern);
    expect([parsed.args, parsed.kwargs]).toEqual([[], {}]);
  });

  it('rejects invalid UTF-8 with 400', async () => {
    const res = await fetch(router.httpUrl, { method: 'POST', body: Buffer.from([0x7b, 0xff, 0x7d]) });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('invalid UTF-8');
  });

  it('counts bridge requests', () => {
    expect(router.counters.httpRequests).toBeGreaterThan(10);
  });
});
