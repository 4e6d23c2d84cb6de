/**
 * Scenarios 16, 17 and the management procedure (ocs-protocol.md 2.1, 2.5, 2.6, 4.6, 11) driven
 * by real Python WAMP clients (autobahn-python 22.7.1 from Debian) against the TS fake-data agent.
 * The Python scripts (test/fixtures/python) check types with `isinstance`, as Python consumers see them.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePythonAutobahn, runPythonPeer, type TestRouter } from '../src/testing/index.js';
import { startFakeDataSite, type FakeDataSite } from './helpers.js';

const A = 'observatory.faker';
const fixture = (name: string): string => path.join(import.meta.dirname, 'fixtures/python', name);
let router: TestRouter;
let fx: FakeDataSite;
let agent: { close(): Promise<number> };

beforeAll(async () => {
  await requirePythonAutobahn();
  fx = await startFakeDataSite();
  ({ router, agent } = fx);
});
afterAll(async () => {
  await fx?.close();
});

type Session = Record<string, unknown> & { messages: [number, string][] };

describe('management procedure from autobahn-python', () => {
  it.each(['cbor', 'json'])('get_api over %s: keys and Python types', async (ser) => {
    const v = await runPythonPeer(fixture('get_api.py'), [router.url, ser, A]);
    expect(v.failure).toBeUndefined();
    expect(v.serializer).toBe(ser);
    expect(v.keys).toEqual(['agent_class', 'instance_hostname', 'instance_pid', 'feeds', 'processes', 'tasks', 'access_control']);
    expect(v.types).toEqual({ agent_class: 'str', instance_hostname: 'str', instance_pid: 'int', feeds: 'list', processes: 'list', tasks: 'list', access_control: 'dict' });
    expect(v.access_control_types).toEqual({ version: 'int', policy: 'str', update_timestamp: 'float', update_count: 'int', step: 'int' });
    expect(v.access_control).toMatchObject({ version: 1, policy: 'none', update_count: 0, step: 0 });
    expect(v.order).toEqual({ tasks: ['delay_task', 'set_heartbeat'], processes: ['acq', 'count'] });
    const ops = v.ops as Record<string, { kind: string; session: Record<string, unknown>; op_info_keys: string[]; op_info_types: Record<string, string> }>;
    expect(ops.set_heartbeat?.session).toEqual({ op_name: 'set_heartbeat', status: 'no_history' });
    expect(ops.delay_task?.op_info_keys).toEqual(['blocking', 'abortable', 'docstring', 'op_type', 'min_privs']);
    expect(ops.delay_task?.op_info_types).toEqual({ blocking: 'bool', abortable: 'bool', docstring: 'str', op_type: 'str', min_privs: 'int' });
    expect(ops.acq?.op_info_keys).toEqual(['blocking', 'docstring', 'op_type', 'min_privs']);
    expect(ops.count?.op_info_types).toEqual({ blocking: 'bool', docstring: 'NoneType', op_type: 'str', min_privs: 'int' });
    const feeds = v.feeds as [string, Record<string, string>][];
    expect(feeds.map((f) => f[0])).toEqual(['false_temperatures', 'heartbeat']);
    for (const [, t] of feeds) expect(t).toEqual({ agent_address: 'str', agg_params: 'dict', feed_name: 'str', address: 'str', record: 'bool', session_id: 'str', agent_class: 'str' });
    expect(v.agent_class).toBe('FakeDataAgent');
    expect(v.bogus).toBeNull();
  });
});

describe('16/17. client_t-style ops calls and heartbeats from autobahn-python (cbor)', () => {
  it('delay_task start/wait/status, param rejections, wildcard heartbeat into a registry-like consumer', async () => {
    const v = await runPythonPeer(fixture('ops_client.py'), [router.url, 'cbor', A], { timeoutMs: 50_000 });
    expect(v.failure).toBeUndefined();
    expect(v.serializer).toBe('cbor');
    // 16: kwargs convention and the ocs-web convention give the same reply
    expect(v.status_kwargs).toEqual([0, 'No session active.', {}]);
    expect(v.status_ocsweb).toEqual([0, 'No session active.', {}]);
    expect(v.wait_idle).toEqual([0, 'Idle.', {}]);
    // start reply (2.5 step 7) with Python types (2.4)
    expect(v.start).toEqual([0, 'Started task "delay_task".']);
    const start = v.start_session as Session;
    expect(start).toMatchObject({ op_name: 'delay_task', op_code: 2, cred_level: 1, status: 'starting', degraded: false, success: null, end_time: null, data: {} });
    expect(start.messages.map((m) => m[1])).toEqual(['Status is now "starting".']);
    expect(v.start_types).toEqual({
      session_id: 'int', op_name: 'str', op_code: 'int', cred_level: 'int', status: 'str', degraded: 'bool', success: 'NoneType',
      start_time: 'float', end_time: 'NoneType', data: {}, messages: ['float,str'],
    });
    // wait until done
    expect(v.wait).toEqual([0, 'Operation "delay_task" is currently not running (SUCCEEDED).']);
    const done = v.wait_session as Session;
    expect(done).toMatchObject({ session_id: start.session_id, op_code: 5, status: 'done', success: true });
    expect(done.messages.map((m) => m[1])).toEqual(['Status is now "starting".', 'Status is now "running".', expect.stringMatching(/^Exited after \d+\.\d seconds$/), 'Status is now "done".']);
    expect(v.wait_types).toEqual({
      session_id: 'int', op_name: 'str', op_code: 'int', cred_level: 'int', status: 'str', degraded: 'bool', success: 'bool',
      start_time: 'float', end_time: 'float', data: { requested_delay: 'float', delay_so_far: 'float' }, messages: ['float,str'],
    });
    expect(v.end_after_start).toBe(true);
    expect(v.status).toEqual([0, 'Session active.', start.session_id]);
    // an int delay (Python int 0) is cast to float and reported as a float
    expect(v.int_delay).toEqual({ session_id: (start.session_id as number) + 1, requested_delay: 'float' });
    expect(v.rejections).toEqual([
      [-1, "Param 'delay'=abc is not of required type (<class 'float'>)", {}],
      [-1, "Param 'delay' failed validity check (see docs?).", {}],
      [-1, "params included unexpected values: ['bogus']", {}],
      [-1, "Param 'succeed'=1 is not of required type (<class 'bool'>)", {}],
    ]);
    expect(v.status_after_rejection).toEqual([0, 'No session active.', {}]); // Q3
    // 17: heartbeat via observatory..feeds.heartbeat, {match: wildcard}, details.topic
    expect(v.heartbeats).toBeGreaterThanOrEqual(3);
    expect(v.heartbeat_topics).toEqual([`${A}.feeds.heartbeat`]);
    expect(v.heartbeat_shapes).toEqual(['1 args, kwargs []']);
    expect(v.heartbeat_code_types).toEqual(['int']);
    expect(v.heartbeat_last_codes).toEqual({ acq: 1, count: 1, set_heartbeat: 1, delay_task: 5 }); // SUCCEEDED
    expect(v.heartbeat_info).toMatchObject({ agent_address: A, feed_name: 'heartbeat', address: `${A}.feeds.heartbeat`, record: false, agg_params: {}, agent_class: 'FakeDataAgent' });
    expect(v.heartbeat_info_types).toMatchObject({ session_id: 'str', record: 'bool' });
    // registry-like consumer: not expired, int op codes, int record-feed fields
    expect(v.problems).toEqual([]);
    expect(v.registry).toEqual({ [A]: { expired: false, agent_class: 'FakeDataAgent', op_codes: { acq: 1, count: 1, set_heartbeat: 1, delay_task: 5 }, op_code_types: ['int'] } });
    expect(v.registry_fields).toEqual({ observatory_faker_acq: 1, observatory_faker_count: 1, observatory_faker_set_heartbeat: 1, observatory_faker_delay_task: 5 });
    expect(v.registry_fields_int).toBe(true);
  });
});
