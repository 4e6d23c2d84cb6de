import autobahn, { type Error as AutobahnError, type Result } from 'autobahn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Router, startRouter } from '../src/index.js';
import { type AutobahnSerializerName, eventually, joinAutobahn, quiet } from './helpers.js';

let router: Router;
beforeAll(async () => {
  router = await startRouter({ logger: quiet, port: 0 });
});
afterAll(() => router.close());

async function callError(p: Promise<unknown>): Promise<AutobahnError> {
  try {
    await p;
  } catch (err) {
    return err as AutobahnError;
  }
  throw new Error('call succeeded unexpectedly');
}

describe.each<AutobahnSerializerName>(['json', 'msgpack'])('dealer over %s (autobahn-js)', (ser) => {
  it('routes a call with args and kwargs and returns a single result as the value', async () => {
    const { session: callee } = await joinAutobahn(router.url, ser);
    const { session: caller } = await joinAutobahn(router.url, ser);
    await callee.register(`observatory.${ser}.echo`, (args, kwargs) => [args, kwargs]);
    const res = await caller.call(`observatory.${ser}.echo`, ['get_api', 1.5], { timeout: null, params: { delay: 2 } });
    expect(res).toEqual([['get_api', 1.5], { timeout: null, params: { delay: 2 } }]);
  });

  it('passes multi-results and kwargs results through', async () => {
    const { session: callee } = await joinAutobahn(router.url, ser);
    const { session: caller } = await joinAutobahn(router.url, ser);
    await callee.register(`observatory.${ser}.multi`, () => new autobahn.Result([1, 'two'], { three: 3 }));
    const res = (await caller.call(`observatory.${ser}.multi`)) as Result;
    expect(res.args).toEqual([1, 'two']);
    expect(res.kwargs).toEqual({ three: 3 });
  });

  it('forwards a callee error URI, args and kwargs unchanged', async () => {
    const { session: callee } = await joinAutobahn(router.url, ser);
    const { session: caller } = await joinAutobahn(router.url, ser);
    await callee.register(`observatory.${ser}.fail`, () => {
      throw new autobahn.Error('wamp.error.runtime_error', ["OCSAgent._management_handler() missing 1 required positional argument: 'q'"], { extra: [1, 2] });
    });
    const err = await callError(caller.call(`observatory.${ser}.fail`));
    expect(err.error).toBe('wamp.error.runtime_error');
    expect(err.args).toEqual(["OCSAgent._management_handler() missing 1 required positional argument: 'q'"]);
    expect(err.kwargs).toEqual({ extra: [1, 2] });
  });

  it('rejects a duplicate registration with crossbar text', async () => {
    const { session: a } = await joinAutobahn(router.url, ser);
    const { session: b } = await joinAutobahn(router.url, ser);
    await a.register(`observatory.${ser}.dup`, () => 1);
    const err = await callError(b.register(`observatory.${ser}.dup`, () => 2));
    expect(err.error).toBe('wamp.error.procedure_already_exists');
    expect(err.args).toEqual([`register for already registered procedure 'observatory.${ser}.dup'`]);
  });

  it('answers an unknown procedure with no_such_procedure and crossbar text', async () => {
    const { session } = await joinAutobahn(router.url, ser);
    const err = await callError(session.call('observatory.nope'));
    expect(err.error).toBe('wamp.error.no_such_procedure');
    expect(err.args).toEqual(['no callee registered for procedure <observatory.nope>']);
  });

  it('refuses URIs outside the address root with not_authorized', async () => {
    const { session } = await joinAutobahn(router.url, ser);
    const id = (session as unknown as { id: number }).id;
    const call = await callError(session.call('other.thing'));
    expect(call.error).toBe('wamp.error.not_authorized');
    expect(call.args[0]).toMatch(new RegExp(`^session \\(session_id=${id}, authid="[A-Z0-9-]+", authrole="iocs_agent"\\) is not authorized to call procedure "other.thing" on realm "test_realm"$`));
    const reg = await callError(session.register('observatoryx.thing', () => 1));
    expect(reg.error).toBe('wamp.error.not_authorized');
    expect(reg.args[0]).toContain('is not authorized to register procedure "observatoryx.thing" on realm "test_realm"');
    const sub = await callError(session.subscribe('other.topic', () => {}));
    expect(sub.error).toBe('wamp.error.not_authorized');
    expect(sub.args[0]).toContain('is not authorized to subscribe to topic "other.topic"');
  });

  it('fails in-flight calls with canceled when the callee drops, and frees the procedure', async () => {
    const callee = await joinAutobahn(router.url, ser);
    const { session: caller } = await joinAutobahn(router.url, ser);
    let invoked = false;
    await callee.session.register(`observatory.${ser}.hang`, () => {
      invoked = true;
      return new Promise(() => {});
    });
    const pending = callError(caller.call(`observatory.${ser}.hang`));
    await eventually(() => invoked);
    callee.connection.close();
    const err = await pending;
    expect(err.error).toBe('wamp.error.canceled');
    expect(err.args).toEqual(['callee disconnected from in-flight request']);
    const { session: again } = await joinAutobahn(router.url, ser);
    await again.register(`observatory.${ser}.hang`, () => 'back');
    expect(await caller.call(`observatory.${ser}.hang`)).toBe('back');
  });

  it('unregisters on request', async () => {
    const { session: callee } = await joinAutobahn(router.url, ser);
    const { session: caller } = await joinAutobahn(router.url, ser);
    const reg = await callee.register(`observatory.${ser}.temp`, () => 1);
    await callee.unregister(reg);
    expect((await callError(caller.call(`observatory.${ser}.temp`))).error).toBe('wamp.error.no_such_procedure');
  });
});

describe('dealer across serializers', () => {
  it('a JSON caller reaches a msgpack callee and back', async () => {
    const { session: callee } = await joinAutobahn(router.url, 'msgpack');
    const { session: caller } = await joinAutobahn(router.url, 'json');
    await callee.register('observatory.mixed.add', (args) => (args[0] as number) + (args[1] as number));
    expect(await caller.call('observatory.mixed.add', [2, 0.5])).toBe(2.5);
  });

  it('carries a 1 MiB payload', async () => {
    const { session: callee } = await joinAutobahn(router.url, 'msgpack');
    const { session: caller } = await joinAutobahn(router.url, 'json');
    await callee.register('observatory.big.len', (args) => (args[0] as string).length);
    const big = 'x'.repeat(1 << 20);
    expect(await caller.call('observatory.big.len', [big])).toBe(1 << 20);
  });
});
