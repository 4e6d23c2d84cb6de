/**
 * Acceptance scenarios 1-15 of ocs-protocol.md 11 over the HTTP bridge (raw POSTs), against the
 * fake-data agent on a real router.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpCall, waitFor, type TestRouter } from '../src/testing/index.js';
import { startFakeDataSite, type FakeDataSite, mgmt, ops } from './helpers.js';

const A = 'observatory.faker';
let router: TestRouter;
let fx: FakeDataSite;
let agent: { close(): Promise<number>; address: string };
// A ctime in seconds (not ms, not 0). The window is wide on purpose: no test fails on wall-clock time.
const near = (t: unknown): boolean => typeof t === 'number' && Math.abs(t - Date.now() / 1000) < 3600;

beforeAll(async () => {
  fx = await startFakeDataSite();
  ({ router, agent } = fx);
});
afterAll(async () => {
  await fx?.close();
});

describe('scenarios 1-4: discovery, management, idle status, unknown op', () => {
  it('1. get_api shape', async () => {
    const r = await httpCall(router.httpUrl, A, ['get_api'], {});
    expect(r.status).toBe(200);
    const api = r.body.args?.[0] as Record<string, unknown>;
    expect(Object.keys(api)).toEqual(['agent_class', 'instance_hostname', 'instance_pid', 'feeds', 'processes', 'tasks', 'access_control']);
    expect(api.agent_class).toBe('FakeDataAgent');
    expect(api.instance_pid).toBe(process.pid);
    const tasks = api.tasks as [string, unknown, Record<string, unknown>][];
    const procs = api.processes as [string, unknown, Record<string, unknown>][];
    expect(tasks.map((t) => t[0])).toEqual(['delay_task', 'set_heartbeat']);
    expect(procs.map((t) => t[0])).toEqual(['acq', 'count']);
    for (const [name, s] of [...tasks, ...procs]) expect(s).toEqual({ op_name: name, status: 'no_history' });
    expect(tasks[0]?.[2]).toMatchObject({ blocking: false, abortable: true, op_type: 'task', min_privs: 1 });
    expect(String(tasks[0]?.[2].docstring)).toMatch(/^delay_task\(delay=5, succeed=True\)\n/);
    expect(procs[1]?.[2]).toEqual({ blocking: false, docstring: null, op_type: 'process', min_privs: 1 });
    expect(api.access_control).toMatchObject({ version: 1, policy: 'none', update_count: 0, step: 0 });
    expect(r.text).toMatch(/"update_timestamp":\d+\.\d+/);
    const feeds = api.feeds as [string, Record<string, unknown>][];
    expect(feeds.map((f) => f[0])).toEqual(['false_temperatures', 'heartbeat']);
    expect(feeds[0]?.[1]).toMatchObject({ record: true, agg_params: { frame_length: 60 }, agent_address: A });
    expect(feeds[1]?.[1]).toMatchObject({ record: false, agg_params: {}, address: `${A}.feeds.heartbeat` });
    expect(Object.keys(feeds[1]?.[1] ?? {})).toEqual(['agent_address', 'agg_params', 'feed_name', 'address', 'record', 'session_id', 'agent_class']);
  });
  it('2. management misc', async () => {
    expect(await mgmt(router.httpUrl, A, 'get_agent_class')).toBe('FakeDataAgent');
    expect(await mgmt(router.httpUrl, A, 'bogus')).toBeNull();
    const api = (await mgmt(router.httpUrl, A, 'get_api', { password: 'x' })) as Record<string, unknown>;
    expect(await mgmt(router.httpUrl, A, 'get_tasks')).toEqual(api.tasks);
    expect(await mgmt(router.httpUrl, A, 'get_processes')).toEqual(api.processes);
    expect(await mgmt(router.httpUrl, A, 'get_feeds')).toEqual(api.feeds);
    const noQ = await httpCall(router.httpUrl, A, [], {});
    expect(noQ.body).toEqual({ error: 'wamp.error.runtime_error', args: ["OCSAgent._management_handler() missing 1 required positional argument: 'q'"], kwargs: {} });
  });
  it('3/4. idle status and unknown op', async () => {
    expect(await ops(router.httpUrl, A, ['status', 'acq', {}])).toEqual([0, 'No session active.', {}]);
    expect(await ops(router.httpUrl, A, ['status', 'nope', {}])).toEqual([-1, 'No task or process called "nope"', {}]);
    expect(await ops(router.httpUrl, A, ['wait', 'nope', {}], { timeout: null })).toEqual([-1, 'Unknown operation "nope".', {}]);
    expect(await ops(router.httpUrl, A, ['stop', 'nope', {}])).toEqual([-1, 'No operation called "nope".', {}]);
    expect(await ops(router.httpUrl, A, ['start', 'nope', {}])).toEqual([-1, 'No task or process called "nope"', {}]);
    const bad = await httpCall(router.httpUrl, `${A}.ops`, ['status', 'acq', {}], { foo: 1 });
    expect(bad.body.args).toEqual(["OCSAgent._ops_handler() got an unexpected keyword argument 'foo'"]);
    const twice = await httpCall(router.httpUrl, `${A}.ops`, ['status', 'acq', {}], { params: {} });
    expect(twice.body.args).toEqual(["OCSAgent._ops_handler() got multiple values for argument 'params'"]);
  });
});

describe('scenarios 5-13: task lifecycle', () => {
  let firstId = -1;
  it('5/6/7. start reply, already running, negative-timeout wait', async () => {
    const [code, msg, s] = await ops(router.httpUrl, A, ['start', 'delay_task', { delay: 3 }]); // long enough that the next calls see it running
    expect([code, msg]).toEqual([0, 'Started task "delay_task".']);
    expect(Object.keys(s)).toEqual(['session_id', 'op_name', 'op_code', 'cred_level', 'status', 'degraded', 'success', 'start_time', 'end_time', 'data', 'messages']);
    expect(s).toMatchObject({ session_id: 0, op_name: 'delay_task', op_code: 2, cred_level: 1, status: 'starting', degraded: false, success: null, end_time: null, data: {} });
    expect(near(s.start_time)).toBe(true);
    expect(s.messages).toEqual([[s.start_time, 'Status is now "starting".']]);
    firstId = s.session_id as number;
    const again = await ops(router.httpUrl, A, ['start', 'delay_task', {}]);
    expect(again[0]).toBe(-1);
    expect(again[1]).toBe('Operation "delay_task" already in progress.');
    expect(again[2]).toMatchObject({ status: 'running', session_id: firstId });
    const w = await ops(router.httpUrl, A, ['wait', 'delay_task', {}], { timeout: -1 });
    expect(w[0]).toBe(1);
    expect(w[1]).toBe('Operation "delay_task" still running; wait timed out.');
    expect(w[2]).toMatchObject({ status: 'running' });
    const done = await ops(router.httpUrl, A, ['wait', 'delay_task', {}], { timeout: null });
    expect(done[1]).toBe('Operation "delay_task" is currently not running (SUCCEEDED).');
  });
  it('8. wait with a short timeout, then until done', async () => {
    const [, , s0] = await ops(router.httpUrl, A, ['start', 'delay_task', { delay: 3 }]);
    expect(s0.session_id).toBe(firstId + 1);
    const t0 = Date.now();
    const w = await ops(router.httpUrl, A, ['wait', 'delay_task', {}], { timeout: 0.5 });
    expect(w[0]).toBe(1);
    // A lower bound only (the wait really waited); a slow machine makes it larger, never smaller.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
    const [code, msg, s] = await ops(router.httpUrl, A, ['wait', 'delay_task', {}], { timeout: null });
    expect([code, msg]).toEqual([0, 'Operation "delay_task" is currently not running (SUCCEEDED).']);
    expect(s).toMatchObject({ status: 'done', op_code: 5, success: true });
    expect(s.end_time as number).toBeGreaterThan(s.start_time as number);
    const m = s.messages as [number, string][];
    // The elapsed seconds in the text are wall-clock; only the format is asserted.
    expect(m.map((x) => x[1])).toEqual(['Status is now "starting".', 'Status is now "running".', expect.stringMatching(/^Exited after \d+\.\d seconds$/), 'Status is now "done".']);
    expect(s.data).toMatchObject({ requested_delay: 3 });
    expect(await ops(router.httpUrl, A, ['status', 'delay_task', {}])).toEqual([0, 'Session active.', s]);
  });
  it('9. idle wait', async () => {
    expect(await ops(router.httpUrl, A, ['wait', 'set_heartbeat', {}], { timeout: null })).toEqual([0, 'Idle.', {}]);
  });
  it('10/11. task call shortcut and failing op', async () => {
    await ops(router.httpUrl, A, ['start', 'delay_task', { delay: 0.01 }]);
    const ok = await ops(router.httpUrl, A, ['wait', 'delay_task', {}], { timeout: null });
    expect(ok[2].op_code).toBe(5);
    await ops(router.httpUrl, A, ['start', 'delay_task', { delay: 0.01, succeed: false }]);
    const [code, msg, s] = await ops(router.httpUrl, A, ['wait', 'delay_task', {}], { timeout: null });
    expect(code).toBe(0);
    expect(msg).toMatch(/\(FAILED\)\.$/);
    expect(s).toMatchObject({ success: false, op_code: 6 });
  });
  it('12/13. param rejection, check, strays, int accepted as float; Q3', async () => {
    const before = (await ops(router.httpUrl, A, ['status', 'delay_task', {}]))[2].session_id as number;
    expect(await ops(router.httpUrl, A, ['start', 'delay_task', { delay: 'abc' }])).toEqual([-1, "Param 'delay'=abc is not of required type (<class 'float'>)", {}]);
    expect(await ops(router.httpUrl, A, ['status', 'delay_task', {}])).toEqual([0, 'No session active.', {}]);
    expect(await ops(router.httpUrl, A, ['start', 'delay_task', { delay: -1 }])).toEqual([-1, "Param 'delay' failed validity check (see docs?).", {}]);
    expect(await ops(router.httpUrl, A, ['start', 'delay_task', { bogus: 1 }])).toEqual([-1, "params included unexpected values: ['bogus']", {}]);
    const api = (await mgmt(router.httpUrl, A, 'get_tasks')) as [string, unknown][];
    expect(api[0]?.[1]).toEqual({ op_name: 'delay_task', status: 'no_history' });
    const [code, , s] = await ops(router.httpUrl, A, ['start', 'delay_task', { delay: 1 }]);
    expect(code).toBe(0);
    expect(s.session_id).toBe(before + 1);
    const r = await httpCall(router.httpUrl, `${A}.ops`, ['wait', 'delay_task', {}], { timeout: null });
    expect(r.text).toContain('"requested_delay":1.0');
  });
});

describe('scenarios 14/15: wrong op type, unknown action, process stop cycle', () => {
  it('14. wrong op type and unknown action (Q1, Q2)', async () => {
    expect(await ops(router.httpUrl, A, ['stop', 'delay_task', {}])).toEqual([-1, 'Cannot "stop" "delay_task" because it is a "{op_type}".', {}]);
    expect(await ops(router.httpUrl, A, ['abort', 'acq', {}])).toEqual([-1, 'Cannot "abort" "acq" because it is a "{op_type}".', {}]);
    expect(await ops(router.httpUrl, A, ['explode', 'acq', {}])).toEqual([-1, 'No implementation for "acq"', {}]);
  });
  it('15. acq start/status/stop/wait', async () => {
    expect(await ops(router.httpUrl, A, ['stop', 'acq', {}])).toEqual([-1, 'No session active.', {}]);
    expect((await ops(router.httpUrl, A, ['start', 'acq', {}]))[1]).toBe('Started process "acq".');
    // Wait for the first acq iteration instead of a fixed 2.1 s sleep (no wall-clock dependency).
    const st = await waitFor(async () => {
      const r = await ops(router.httpUrl, A, ['status', 'acq', {}]);
      return (r[2].data as { fields?: unknown }).fields !== undefined ? r : null;
    });
    expect(st[2]).toMatchObject({ status: 'running', op_code: 3 });
    const data = st[2].data as { fields: Record<string, number>; timestamp: number };
    expect(Object.keys(data.fields)).toEqual(['channel_00', 'channel_01']);
    expect(near(data.timestamp)).toBe(true);
    const stop = await ops(router.httpUrl, A, ['stop', 'acq', {}]);
    expect(stop[0]).toBe(0);
    expect(stop[1]).toBe('Requested stop on process acq".');
    expect(['running', 'stopping']).toContain(stop[2].status);
    const w = await ops(router.httpUrl, A, ['wait', 'acq', {}], { timeout: 10 });
    expect(w[1]).toBe('Operation "acq" is currently not running (SUCCEEDED).');
    expect((w[2].messages as [number, string][]).map((m) => m[1])).toContain('Status is now "stopping".');
    expect(await ops(router.httpUrl, A, ['stop', 'acq', {}])).toEqual([-1, 'The operation is already done', {}]);
  });
  it('abort on a running task replies stopping; count is non-blocking', async () => {
    await ops(router.httpUrl, A, ['start', 'delay_task', { delay: 30 }]);
    await waitFor(async () => (await ops(router.httpUrl, A, ['status', 'delay_task', {}]))[2].status === 'running');
    const ab = await ops(router.httpUrl, A, ['abort', 'delay_task', {}]);
    expect(ab[1]).toBe('Requested abort on task delay_task".');
    expect(ab[2]).toMatchObject({ status: 'stopping', op_code: 4 });
    const again = await ops(router.httpUrl, A, ['abort', 'delay_task', {}]);
    expect(again[0]).toBe(-1);
    expect(['The operation is already stopping', 'The operation is already done']).toContain(again[1]);
    const w = await ops(router.httpUrl, A, ['wait', 'delay_task', {}], { timeout: 5 });
    expect(w[2]).toMatchObject({ op_code: 6, success: false });
    // Python's '{:.1f}' text; the elapsed time itself is not asserted (no wall-clock dependency).
    expect((w[2].messages as [number, string][]).at(-2)?.[1]).toMatch(/^Aborted after \d+\.\d seconds$/);
  });
});
