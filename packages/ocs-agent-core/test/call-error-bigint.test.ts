/**
 * Review item: `call()` built its error message with `JSON.stringify(e.args)`, which throws a
 * TypeError when a WAMP ERROR's args hold a bigint (an int beyond 2^53 from a Python callee),
 * hiding the real WampError. The message is now written with the WAMP JSON stringifier.
 */
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { defineAgent, WampError } from '../src/index.js';
import { startAgent, startRouter } from '../src/testing/index.js';
import { ops } from './helpers.js';

/** A raw JSON WAMP callee of `procedure` that answers every INVOCATION with `errorFrame(requestId)`. */
async function rawErrorCallee(url: string, procedure: string, errorFrame: (requestId: number) => string): Promise<WebSocket> {
  const ws = new WebSocket(url, ['wamp.2.json']);
  await new Promise<void>((resolve, reject) => {
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify([1, 'test_realm', { roles: { callee: {} } }])));
    ws.on('message', (data) => {
      const raw = data.toString();
      const type = Number(/^\[(\d+)/.exec(raw)?.[1]);
      if (type === 2) ws.send(JSON.stringify([64, 1, {}, procedure]));
      else if (type === 65) resolve();
      else if (type === 68) ws.send(errorFrame(Number(/^\[68,(\d+)/.exec(raw)?.[1])));
    });
  });
  return ws;
}

describe('call() error messages', () => {
  it('a WAMP ERROR whose args hold a bigint rejects with the WampError, not a TypeError', async () => {
    await using router = await startRouter();
    const ws = await rawErrorCallee(router.url, 'observatory.pycallee.proc', (id) => `[8,68,${id},{},"my.app.error",[12345678901234567890,2.0,"x"]]`);
    try {
      await using a = await startAgent(defineAgent({ agentClass: 'Caller', ops: {} }), ['--site', 'none', '--site-hub', router.url, '--instance-id', 'caller']);
      const err = await a.handle.call('observatory.pycallee.proc').then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(WampError);
      const w = err as WampError;
      expect(w.code).toBe('OCS_ERR_WAMP_CALL');
      expect(w.wampError).toBe('my.app.error');
      expect(w.message).toBe('observatory.pycallee.proc: my.app.error [12345678901234567890,2.0,"x"]');
      expect(w.args[0]).toBe(12345678901234567890n);
    } finally {
      ws.close();
    }
  });

  it('an op returning a value with a bigint instead of [ok, message] ends with a CRASH message', async () => {
    await using router = await startRouter();
    const def = defineAgent({ agentClass: 'Odd', ops: { odd: { kind: 'task', start: async () => ({ big: 2n ** 70n }) as never } } });
    await using a = await startAgent(def, ['--site', 'none', '--site-hub', router.url, '--instance-id', 'odd']);
    await ops(router.httpUrl, a.address, ['start', 'odd', {}]);
    const w = await ops(router.httpUrl, a.address, ['wait', 'odd', {}], { timeout: 5 });
    expect(w[2]).toMatchObject({ success: false, op_code: 6 });
    expect((w[2].messages as [number, string][]).at(-2)?.[1]).toContain('op returned {"big":1180591620717411303424}, expected [ok, message]');
  });
});
