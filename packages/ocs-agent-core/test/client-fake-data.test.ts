// Acceptance scenarios 1-17 of ocs-protocol.md §11 from the client's side: OCSClient over the HTTP
// bridge and over WAMP, against the real fake-data agent (examples/fake-data) on a real router.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineAgent, type AgentDefinition } from '../src/index.js';
import { startAgent, startRouter, tmpDir, waitFor, writeSiteConfig, type TestRouter, type TmpDir } from '../src/testing/index.js';
import { OCSClient, WampClientSession, WampControlTransport, hasSession, type ReplySession, type TransportKind } from '../src/client/index.js';

// The example package depends on this one, so it is loaded by path.
const fakeDataUrl = pathToFileURL(resolve(import.meta.dirname, '../../../examples/fake-data/src/agent.ts')).href;
const { fakeDataAgent } = (await import(fakeDataUrl)) as { fakeDataAgent: AgentDefinition<Record<string, z.ZodType>, { job: string | null }> };

type FakeOps = { delay_task: 'task'; set_heartbeat: 'task'; acq: 'process'; count: 'process' };

let router: TestRouter;
let dir: TmpDir;
let site: string;
const agents: { close(): Promise<unknown> }[] = [];

beforeAll(async () => {
  router = await startRouter();
  dir = tmpDir();
  site = writeSiteConfig(dir.path, {
    hubUrl: router.url,
    httpUrl: router.httpUrl,
    instances: [
      { agentClass: 'FakeDataAgent', instanceId: 'faker-http' },
      { agentClass: 'FakeDataAgent', instanceId: 'faker-wamp' },
    ],
  });
  for (const id of ['faker-http', 'faker-wamp']) agents.push(await startAgent(fakeDataAgent, ['--site-file', site, '--instance-id', id]));
});
afterAll(async () => {
  for (const a of agents) await a.close();
  await router?.close();
  await dir?.[Symbol.asyncDispose]();
});

// A ctime in seconds (not ms, not 0). The window is wide on purpose: no test fails on wall-clock time.
const near = (t: unknown): boolean => typeof t === 'number' && Math.abs(t - Date.now() / 1000) < 3600;
const sessionOf = (r: { session: unknown }): ReplySession => r.session as ReplySession;

describe.each(['http', 'wamp'] as TransportKind[])('OCSClient over %s against FakeDataAgent', (transport) => {
  const id = `faker-${transport}`;
  let client: OCSClient<FakeOps>;

  beforeAll(async () => {
    client = await OCSClient.connect<FakeOps>(id, { siteFile: site, transport, siteHost: 'localhost' });
  });
  afterAll(async () => {
    await client?.close();
  });

  it('1/2. discovery and management calls', async () => {
    expect(client.transport.kind).toBe(transport);
    expect(Object.keys(client.api)).toEqual(['agent_class', 'instance_hostname', 'instance_pid', 'feeds', 'processes', 'tasks', 'access_control']);
    expect(client.api.tasks.map((t) => t[0])).toEqual(['delay_task', 'set_heartbeat']);
    expect(client.api.processes.map((t) => t[0])).toEqual(['acq', 'count']);
    expect(client.api.access_control).toMatchObject({ version: 1, policy: 'none' });
    expect(client.api.feeds.map(([n, f]) => [n, f.record])).toEqual(expect.arrayContaining([['heartbeat', false], ['false_temperatures', true]]));
    expect(client.ops.delay_task.docstring).toBe(client.api.tasks[0]![2].docstring);
    expect(client.ops.delay_task.docstring).toMatch(/^delay_task\(delay=5, succeed=True\)/);
    expect(await client.management('get_agent_class')).toBe('FakeDataAgent');
    expect(await client.management('bogus')).toBeNull();
    expect(await client.management('get_tasks')).toEqual(client.api.tasks);
  });

  it('3/4. idle status and unknown op', async () => {
    expect(await client.ops.acq.status()).toEqual({ status: 0, msg: 'No session active.', session: {} });
    expect(await client.request({ action: 'status', opName: 'nope' })).toEqual({ status: -1, msg: 'No task or process called "nope"', session: {} });
    expect((await client.request({ action: 'wait', opName: 'nope' })).msg).toBe('Unknown operation "nope".');
    expect((await client.request({ action: 'stop', opName: 'nope' })).msg).toBe('No operation called "nope".');
  });

  it('5-8. start reply, already running, wait timeouts, done session', async () => {
    const started = await client.ops.delay_task.start({ delay: 3 }); // long enough that the next calls see it running
    expect([started.status, started.msg]).toEqual([0, 'Started task "delay_task".']);
    const s = sessionOf(started);
    expect(s).toMatchObject({ session_id: 0, op_code: 2, status: 'starting', success: null, end_time: null, data: {}, degraded: false, cred_level: 1 });
    expect(near(s.start_time)).toBe(true);
    expect(s.messages).toEqual([[s.start_time, 'Status is now "starting".']]);
    await waitFor(async () => sessionOf(await client.ops.delay_task.status()).status === 'running');
    const again = await client.ops.delay_task.start();
    expect([again.status, again.msg, sessionOf(again).status]).toEqual([-1, 'Operation "delay_task" already in progress.', 'running']);
    const now = await client.ops.delay_task.wait(-1);
    expect([now.status, now.msg]).toEqual([1, 'Operation "delay_task" still running; wait timed out.']);
    const short = await client.ops.delay_task.wait(0.2);
    expect(short.status).toBe(1);
    const done = await client.ops.delay_task.wait();
    expect([done.status, done.msg]).toEqual([0, 'Operation "delay_task" is currently not running (SUCCEEDED).']);
    const d = sessionOf(done);
    expect(d).toMatchObject({ status: 'done', op_code: 5, success: true, data: { requested_delay: 3 } });
    expect(d.end_time!).toBeGreaterThan(d.start_time);
    expect(d.messages?.length).toBe(4);
  });

  it('9-11. idle wait, task call shortcut, failing op', async () => {
    expect(await client.ops.set_heartbeat.wait()).toEqual({ status: 0, msg: 'Idle.', session: {} });
    const ok = await client.ops.delay_task.call({ delay: 0.01 });
    expect([ok.status, sessionOf(ok).op_code]).toEqual([0, 5]);
    const bad = await client.ops.delay_task.call({ delay: 0.01, succeed: false });
    expect(bad.status).toBe(0);
    expect(bad.msg).toMatch(/\(FAILED\)\.$/);
    expect(sessionOf(bad)).toMatchObject({ success: false, op_code: 6 });
  });

  it('12/13. param rejections create no session; an int delay is accepted', async () => {
    expect(await client.ops.delay_task.start({ delay: 'abc' })).toEqual({
      status: -1,
      msg: "Param 'delay'=abc is not of required type (<class 'float'>)",
      session: {},
    });
    expect(await client.ops.delay_task.status()).toEqual({ status: 0, msg: 'No session active.', session: {} });
    expect((await client.ops.delay_task.start({ delay: -1 })).msg).toBe("Param 'delay' failed validity check (see docs?).");
    expect((await client.ops.delay_task.start({ bogus: 1 })).msg).toBe("params included unexpected values: ['bogus']");
    const r = await client.ops.delay_task.call({ delay: 0 });
    expect(r.status).toBe(0);
  });

  it('14. wrong op type and unknown action', async () => {
    expect((await client.request({ action: 'stop', opName: 'delay_task' })).msg).toBe('Cannot "stop" "delay_task" because it is a "{op_type}".');
    expect((await client.request({ action: 'abort', opName: 'acq' })).msg).toBe('Cannot "abort" "acq" because it is a "{op_type}".');
    expect(await client.request({ action: 'explode', opName: 'acq' })).toEqual({ status: -1, msg: 'No implementation for "acq"', session: {} });
  });

  it('15. process stop cycle', async () => {
    expect(await client.ops.acq.stop()).toEqual({ status: -1, msg: 'No session active.', session: {} });
    expect((await client.ops.acq.start()).msg).toBe('Started process "acq".');
    const running = await waitFor(
      async () => {
        const r = await client.ops.acq.call();
        return hasSession(r) && r.session.status === 'running' && (r.session.data as { fields?: unknown }).fields !== undefined ? r : null;
      },
      { timeout: 10_000 },
    );
    expect(sessionOf(running).op_code).toBe(3);
    const stop = await client.ops.acq.stop();
    expect([stop.status, stop.msg]).toEqual([0, 'Requested stop on process acq".']);
    expect(['running', 'stopping']).toContain(sessionOf(stop).status);
    const done = await client.ops.acq.wait(10);
    expect([done.status, done.msg]).toEqual([0, 'Operation "acq" is currently not running (SUCCEEDED).']);
    expect(sessionOf(done).messages?.map((m) => m[1])).toContain('Status is now "stopping".');
    expect(await client.ops.acq.stop()).toEqual({ status: -1, msg: 'The operation is already done', session: {} });
  });
});

describe('16/17. WAMP conventions and heartbeat through WampClientSession', () => {
  it('accepts the ocs-web params array and reuses a caller-owned session', async () => {
    await using session = await WampClientSession.connect({ url: router.url, realm: 'test_realm' });
    const raw = await session.call('observatory.faker-wamp.ops', ['status', 'acq', []]);
    expect((raw as unknown[])[0]).toBe(0);
    const client = await OCSClient.connect('faker-wamp', { transport: 'wamp', session, site: 'none' });
    expect(client.transport).toBeInstanceOf(WampControlTransport);
    expect((await client.task('delay_task').wait(-1)).status).toBe(0);
    await client.close();
    expect(session.isOpen).toBe(true);
  });

  it('receives heartbeats with one positional arg and details.topic', async () => {
    await using session = await WampClientSession.connect({ url: router.url, realm: 'test_realm' });
    const events: { topic: string; args: unknown[]; kwargs: Record<string, unknown> }[] = [];
    await session.subscribe('observatory..feeds.heartbeat', (ev) => events.push({ topic: ev.details.topic, ...ev }), { match: 'wildcard' });
    await waitFor(() => new Set(events.map((e) => e.topic)).size === 2, { timeout: 20_000 });
    const hb = events.find((e) => e.topic === 'observatory.faker-http.feeds.heartbeat')!;
    expect(hb.args.length).toBe(1);
    expect(hb.kwargs).toEqual({});
    const [opCodes, feedInfo] = hb.args[0] as [Record<string, number>, Record<string, unknown>];
    expect(Object.keys(opCodes).sort()).toEqual(['acq', 'count', 'delay_task', 'set_heartbeat']);
    expect(feedInfo).toMatchObject({ feed_name: 'heartbeat', record: false, agg_params: {}, address: 'observatory.faker-http.feeds.heartbeat' });
    expect(typeof feedInfo.session_id).toBe('string');
  });
});

describe('19. access control from the client (ocs-protocol.md §5.4)', () => {
  // FakeData with delay_task at min_privs 2, as scenario 19 requires.
  const privileged = defineAgent({
    ...fakeDataAgent,
    ops: (a) => {
      const o = typeof fakeDataAgent.ops === 'function' ? fakeDataAgent.ops(a) : fakeDataAgent.ops;
      return { ...o, delay_task: { ...o.delay_task!, minPrivs: 2 } };
    },
  });

  it('sends the password from privs (string or level from the passwords file)', async () => {
    await using agent = await startAgent(privileged, ['--site', 'none', '--site-hub', router.url, '--instance-id', 'faker-ac', '--access-policy', 'override:pw2,pw3']);
    const pwFile = join(dir.path, 'ocs-passwords.yaml');
    writeFileSync(pwFile, '- instance_id: "faker-*"\n  password_2: pw2\n  password_3: pw3\n');
    const env = { OCS_PASSWORDS_FILE: pwFile };
    const base = { siteHttp: router.httpUrl, site: 'none', env };

    await using anon = await OCSClient.connect('faker-ac', base);
    expect(anon.api.access_control?.policy).toBe('override');
    expect(await anon.task('delay_task').start({ delay: 0.01 })).toEqual({
      status: -1,
      msg: 'The action requires credential level 2-ADVANCED but the client has only level 1-BASIC',
      session: {},
    });

    await using byString = await OCSClient.connect('faker-ac', { ...base, privs: 'pw2' });
    const r2 = await byString.task('delay_task').start({ delay: 0.01 });
    expect([r2.status, sessionOf(r2).cred_level]).toEqual([0, 2]);
    expect((await anon.task('delay_task').wait()).status).toBe(0);

    await using byLevel = await OCSClient.connect('faker-ac', { ...base, privs: 3, transport: 'wamp', siteHub: router.url, realm: 'test_realm' });
    const r3 = await byLevel.task('delay_task').call({ delay: 0.01 });
    expect([r3.status, sessionOf(r3).cred_level]).toEqual([0, 3]);
    expect(agent.address).toBe('observatory.faker-ac');
  });
});
