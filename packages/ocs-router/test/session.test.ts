import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RouterConfigError, type Router, startRouter } from '../src/index.js';
import { RawClient, eventually, joinAutobahn, quiet } from './helpers.js';

let router: Router;
beforeAll(async () => {
  router = await startRouter({ logger: quiet, port: 0, realms: ['test_realm', 'other_realm'] });
});
afterAll(() => router.close());

describe('session lifecycle', () => {
  it('welcomes with anonymous auth, role iocs_agent and broker/dealer roles only', async () => {
    const { welcome } = await RawClient.join(router.url, 'wamp.2.json');
    const [type, id, details] = welcome as [number, number, Record<string, unknown>];
    expect(type).toBe(2);
    expect(Number.isSafeInteger(id) && id >= 1).toBe(true);
    expect(details).toMatchObject({ realm: 'test_realm', authrole: 'iocs_agent', authmethod: 'anonymous', authprovider: 'static' });
    expect(details.authid).toMatch(/^([3-9A-Y]{4}-){5}[3-9A-Y]{4}$/);
    expect(Object.keys(details.roles as object).sort()).toEqual(['broker', 'dealer']);
    expect(details.roles).toMatchObject({ broker: { features: { pattern_based_subscription: true, publisher_exclusion: true } } });
  });

  it('autobahn-js joins over JSON and msgpack and sees the realm and role', async () => {
    for (const ser of ['json', 'msgpack'] as const) {
      const { details } = await joinAutobahn(router.url, ser, 'other_realm');
      expect(details).toMatchObject({ realm: 'other_realm', authrole: 'iocs_agent' });
    }
  });

  it('aborts an unknown realm with no_such_realm and closes', async () => {
    const client = await RawClient.connect(router.url, 'wamp.2.json');
    client.send([1, 'nope_realm', { roles: { caller: {} } }]);
    const abort = await client.next((m) => m[0] === 3);
    expect(abort).toEqual([3, { message: 'no realm "nope_realm" exists on this router' }, 'wamp.error.no_such_realm']);
    await client.waitClosed();
  });

  it('answers GOODBYE with goodbye_and_out, cleans up, and lets the transport join again', async () => {
    const { client } = await RawClient.join(router.url, 'wamp.2.msgpack');
    client.send([64, 1, {}, 'observatory.bye.proc']);
    await client.next((m) => m[0] === 65);
    client.send([6, {}, 'wamp.close.normal']);
    expect(await client.next((m) => m[0] === 6)).toEqual([6, {}, 'wamp.close.goodbye_and_out']);
    client.send([1, 'test_realm', { roles: { callee: {} } }]);
    await client.next((m) => m[0] === 2);
    client.send([64, 2, {}, 'observatory.bye.proc']);
    expect((await client.next((m) => m[0] === 65 || m[0] === 8))[0]).toBe(65);
  });

  it('cleans up registrations and subscriptions when the TCP connection drops', async () => {
    const { client } = await RawClient.join(router.url, 'wamp.2.json');
    client.send([64, 1, {}, 'observatory.drop.proc']);
    client.send([32, 2, {}, 'observatory.drop.topic']);
    await client.next((m) => m[0] === 65);
    await client.next((m) => m[0] === 33);
    const before = router.counters.sessions;
    client.ws.terminate();
    await eventually(() => router.counters.sessions === before - 1);
    const { client: next } = await RawClient.join(router.url, 'wamp.2.json');
    next.send([64, 1, {}, 'observatory.drop.proc']);
    expect((await next.next((m) => m[0] === 65 || m[0] === 8))[0]).toBe(65);
  });

  it('interrupts a callee that supports cancelling when its caller drops', async () => {
    const { client: callee } = await RawClient.join(router.url, 'wamp.2.json');
    const { client: caller } = await RawClient.join(router.url, 'wamp.2.json');
    callee.send([64, 1, {}, 'observatory.slow']);
    await callee.next((m) => m[0] === 65);
    caller.send([48, 1, {}, 'observatory.slow']);
    const inv = await callee.next((m) => m[0] === 68);
    caller.ws.terminate();
    expect(await callee.next((m) => m[0] === 69)).toEqual([69, inv[1], { mode: 'killnowait' }]);
  });

  it('answers CANCEL with canceled and interrupts the callee', async () => {
    const { client: callee } = await RawClient.join(router.url, 'wamp.2.json');
    const { client: caller } = await RawClient.join(router.url, 'wamp.2.json');
    callee.send([64, 1, {}, 'observatory.cancel']);
    await callee.next((m) => m[0] === 65);
    caller.send([48, 5, {}, 'observatory.cancel']);
    const inv = await callee.next((m) => m[0] === 68);
    caller.send([49, 5, {}]);
    expect((await caller.next((m) => m[0] === 8)).slice(0, 5)).toEqual([8, 48, 5, {}, 'wamp.error.canceled']);
    expect(await callee.next((m) => m[0] === 69)).toEqual([69, inv[1], { mode: 'killnowait' }]);
  });

  it.each([
    ['a message before HELLO', '[48,1,{},"observatory.x"]'],
    ['a malformed frame', '[1,"test_realm",{'],
    ['a non-array message', '{"a":1}'],
  ])('aborts %s with protocol_violation', async (_name, frame) => {
    const client = await RawClient.connect(router.url, 'wamp.2.json');
    client.sendFrame(frame);
    const abort = await client.next((m) => m[0] === 3);
    expect(abort[2]).toBe('wamp.error.protocol_violation');
    await client.waitClosed();
  });

  it('aborts a joined session that sends a badly typed CALL', async () => {
    const { client } = await RawClient.join(router.url, 'wamp.2.cbor');
    client.send([48, 'one', {}, 'observatory.x']);
    expect((await client.next((m) => m[0] === 3))[2]).toBe('wamp.error.protocol_violation');
    expect(router.counters.protocolErrors).toBeGreaterThan(0);
  });

  it('picks the first offered supported subprotocol and refuses batched-only or unknown offers', async () => {
    const c = await RawClient.connect(router.url, 'wamp.2.msgpack', { protocols: ['wamp.2.cbor.batched', 'wamp.2.msgpack', 'wamp.2.json'] });
    expect(c.ws.protocol).toBe('wamp.2.msgpack');
    await expect(RawClient.connect(router.url, 'wamp.2.json', { protocols: ['wamp.2.json.batched'] })).rejects.toThrow(/400/);
    await expect(RawClient.connect(router.url.replace('/ws', '/other'), 'wamp.2.json')).rejects.toThrow(/404/);
  });
});

describe('router lifecycle', () => {
  it('drops a peer that does not answer pings', async () => {
    await using r = await startRouter({ logger: quiet, port: 0, pingIntervalMs: 50, pingTimeoutMs: 50 });
    const silent = await RawClient.connect(r.url, 'wamp.2.json', { autoPong: false });
    const healthy = await RawClient.connect(r.url, 'wamp.2.json');
    await silent.waitClosed();
    expect(healthy.closed).toBe(false);
  });

  it('says GOODBYE system_shutdown to sessions on close, and close is idempotent', async () => {
    const r = await startRouter({ logger: quiet, port: 0 });
    const { client } = await RawClient.join(r.url, 'wamp.2.json');
    const closing = Promise.all([r.close(), r.close()]);
    expect(await client.next((m) => m[0] === 6)).toEqual([6, { message: 'router shutting down' }, 'wamp.close.system_shutdown']);
    await closing;
    await client.waitClosed();
    await r.close();
    await expect(fetch(r.httpUrl, { method: 'POST', body: '{}' })).rejects.toThrow();
  });

  it('reports its URLs and counters', async () => {
    await using r = await startRouter({ logger: quiet, port: 0, host: '127.0.0.1' });
    expect(r.url).toBe(`ws://127.0.0.1:${r.port}/ws`);
    expect(r.httpUrl).toBe(`http://127.0.0.1:${r.port}/call`);
    const { client } = await RawClient.join(r.url, 'wamp.2.json');
    client.send([48, 1, {}, 'observatory.none']);
    await client.next((m) => m[0] === 8);
    expect(r.counters).toMatchObject({ sessions: 1, sessionsTotal: 1, calls: 1, callErrors: 1 });
    const info = (await (await fetch(`http://127.0.0.1:${r.port}/info`)).json()) as { counters: { calls: number } };
    expect(info.counters.calls).toBe(1);
  });

  it('closes a WebSocket that sends more than maxMessageBytes and answers a larger bridge body with 413', async () => {
    await using r = await startRouter({ logger: quiet, port: 0, maxMessageBytes: 1024 });
    const { client } = await RawClient.join(r.url, 'wamp.2.json');
    const code = new Promise<number>((resolve) => client.ws.once('close', (c: number) => resolve(c)));
    client.send([16, 1, {}, 'observatory.big', ['z'.repeat(2048)]]);
    expect(await code).toBe(1009);
    const res = await fetch(r.httpUrl, { method: 'POST', body: Buffer.from(JSON.stringify({ procedure: 'observatory.x', args: ['z'.repeat(2048)] })) });
    expect(res.status).toBe(413);
  });

  it('rejects bad options with RouterConfigError', async () => {
    await expect(startRouter({ port: -1 })).rejects.toBeInstanceOf(RouterConfigError);
    await expect(startRouter({ realms: [] })).rejects.toMatchObject({ code: 'ROUTER_ERR_CONFIG' });
    await expect(startRouter({ logger: quiet, port: 0, realms: ['a'], bridgeRealm: 'b' })).rejects.toBeInstanceOf(RouterConfigError);
  });

  it('fails to start on a port in use', async () => {
    await using r = await startRouter({ logger: quiet, port: 0 });
    await expect(startRouter({ port: r.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
