// OCSClient and WampClientSession on a real ocs-router, against a bare autobahn peer that
// registers an agent's procedures and records each ops call: the exact request shapes of
// ocs-protocol.md §2.2 per transport, password handling (§5.4), router errors (§3.1, §3.2).
// Agent behaviour itself is tested against the real fake-data agent in client-fake-data.test.ts.
import { createRequire } from 'node:module';
import { startRouter, type Router } from '@smurf-ocs/ocs-router';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CONNECTION_ERROR_URI,
  ClientUsageError,
  ControlClientError,
  OCSClient,
  SiteConfigError,
  WampClientSession,
  scanHeartbeats,
} from '../src/client/index.js';

interface AbSession {
  register(uri: string, fn: (args: unknown[], kwargs: Record<string, unknown>) => unknown): Promise<unknown>;
  publish(topic: string, args: unknown[]): void;
}
interface AbConnection {
  onopen: (s: AbSession) => void;
  onclose: (reason: string) => boolean;
  open(): void;
  close(): void;
}
const autobahn = createRequire(import.meta.url)('autobahn') as {
  Connection: new (o: Record<string, unknown>) => AbConnection;
};

interface RecordedCall {
  args: unknown[];
  kwargs: Record<string, unknown>;
}

interface RecordingCallee {
  calls: RecordedCall[];
  close(): void;
}

const feedInfo = (root: string, id: string, name: string) => ({
  agent_address: `${root}.${id}`,
  agg_params: {},
  feed_name: name,
  address: `${root}.${id}.feeds.${name}`,
  record: false,
  session_id: '1700000000.5',
  agent_class: 'RecordingAgent',
});

/** The get_api dict of the recording agent; `accessControl: false` mimics an agent older than ocs v0.12. */
function recordingApi(root: string, id: string, accessControl: boolean): Record<string, unknown> {
  const api: Record<string, unknown> = {
    agent_class: 'RecordingAgent',
    instance_hostname: 'test',
    instance_pid: process.pid,
    feeds: [['heartbeat', feedInfo(root, id, 'heartbeat')]],
    processes: [['acq', { op_name: 'acq', status: 'no_history' }, { blocking: true, docstring: null, op_type: 'process', min_privs: 1 }]],
    tasks: [
      ['delay_task', { op_name: 'delay_task', status: 'no_history' }, { blocking: true, abortable: true, docstring: 'delay_task(delay=5)', op_type: 'task', min_privs: 1 }],
      ['set-mode', { op_name: 'set-mode', status: 'no_history' }, { blocking: true, abortable: false, docstring: 'set-mode()', op_type: 'task', min_privs: 1 }],
    ],
  };
  if (accessControl) api.access_control = { version: 1, policy: 'override', update_timestamp: 1700000000.5, update_count: 0, step: 0 };
  return api;
}

/**
 * Join `realm` at `url` and register `<root>.<id>` and `<root>.<id>.ops`. The ops handler replies
 * `[0, "recorded <action>", {}]`; op `hang` never replies. With `heartbeatMs`, publishes a
 * heartbeat `[[{acq: 1}, feed_info]]` at that period.
 */
function startRecordingCallee(opts: {
  url: string;
  realm: string;
  root: string;
  id: string;
  accessControl?: boolean;
  heartbeatMs?: number;
}): Promise<RecordingCallee> {
  const calls: RecordedCall[] = [];
  const conn = new autobahn.Connection({ url: opts.url, realm: opts.realm, max_retries: 0, use_es6_promises: true });
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    let open = false;
    conn.onopen = (session) => {
      open = true;
      const base = `${opts.root}.${opts.id}`;
      const api = recordingApi(opts.root, opts.id, opts.accessControl ?? true);
      Promise.all([
        session.register(`${base}.ops`, (args, kwargs) => {
          calls.push({ args, kwargs });
          if (args[1] === 'hang') return new Promise(() => {});
          return [0, `recorded ${String(args[0])}`, {}];
        }),
        session.register(base, (args) => (args[0] === 'get_api' ? api : null)),
        session.register(`${base}.echo_kwargs`, (_args, kwargs) => kwargs),
      ]).then(() => {
        if (opts.heartbeatMs !== undefined) {
          timer = setInterval(() => session.publish(`${base}.feeds.heartbeat`, [[{ acq: 1, delay_task: 5 }, feedInfo(opts.root, opts.id, 'heartbeat')]]), opts.heartbeatMs);
        }
        resolve({
          calls,
          close: () => {
            clearInterval(timer);
            if (open) conn.close();
          },
        });
      }, reject);
    };
    conn.onclose = (reason) => {
      open = false;
      clearInterval(timer);
      if (reason === 'unreachable') reject(new Error(`callee could not reach ${opts.url}`));
      return true;
    };
    conn.open();
  });
}

// ---------------------------------------------------------------------------------------------

const ROOT = 'observatory';
const REALM = 'test_realm';
let router: Router;
let faker: RecordingCallee;
let old: RecordingCallee;

beforeAll(async () => {
  router = await startRouter({ port: 0, pingIntervalMs: 0 });
  faker = await startRecordingCallee({ url: router.url, realm: REALM, root: ROOT, id: 'faker', heartbeatMs: 100 });
  old = await startRecordingCallee({ url: router.url, realm: REALM, root: ROOT, id: 'old', accessControl: false });
});
afterAll(async () => {
  faker?.close();
  old?.close();
  await router?.close();
});

function lastCalls(callee: RecordingCallee, n: number): RecordedCall[] {
  return callee.calls.slice(-n);
}

describe('OCSClient request shapes (ocs-protocol.md §2.2)', () => {
  it('HTTP: [action, op_name, params] positionally, timeout and password as kwargs', async () => {
    await using client = await OCSClient.connect<{ delay_task: 'task'; acq: 'process'; set_mode: 'task' }>('faker', {
      siteHttp: router.httpUrl,
      privs: 'pw2',
    });
    expect(Object.keys(client.ops).sort()).toEqual(['acq', 'delay_task', 'set_mode']);
    expect(client.ops.delay_task.docstring).toBe('delay_task(delay=5)');
    expect(client.ops.set_mode.name).toBe('set-mode');
    const replies = [
      await client.ops.delay_task.start({ delay: 1 }),
      await client.ops.delay_task.wait(),
      await client.ops.delay_task.wait(0.5),
      await client.ops.delay_task.status(),
      await client.ops.delay_task.abort(),
      await client.ops.acq.stop(),
      await client.ops.set_mode.start(),
    ];
    expect(replies.map((r) => r.msg)).toEqual(['recorded start', 'recorded wait', 'recorded wait', 'recorded status', 'recorded abort', 'recorded stop', 'recorded start']);
    expect(replies[0]).toEqual({ status: 0, msg: 'recorded start', session: {} });
    expect(lastCalls(faker, 7)).toEqual([
      { args: ['start', 'delay_task', { delay: 1 }], kwargs: { password: 'pw2' } },
      { args: ['wait', 'delay_task', {}], kwargs: { timeout: null, password: 'pw2' } },
      { args: ['wait', 'delay_task', {}], kwargs: { timeout: 0.5, password: 'pw2' } },
      { args: ['status', 'delay_task', {}], kwargs: { password: 'pw2' } },
      { args: ['abort', 'delay_task', {}], kwargs: { password: 'pw2' } },
      { args: ['stop', 'acq', {}], kwargs: { password: 'pw2' } },
      { args: ['start', 'set-mode', {}], kwargs: { password: 'pw2' } },
    ]);
  });

  it('WAMP: [action, op_name] with kwargs {params, timeout} always present', async () => {
    await using client = await OCSClient.connect('faker', { siteHub: router.url, realm: REALM, transport: 'wamp' });
    expect(client.transport.kind).toBe('wamp');
    await client.task('delay_task').call({ delay: 0.5 });
    await client.process('acq').call();
    await client.process('acq').stop();
    expect(lastCalls(faker, 4)).toEqual([
      { args: ['start', 'delay_task'], kwargs: { params: { delay: 0.5 }, timeout: null } },
      { args: ['wait', 'delay_task'], kwargs: { params: null, timeout: null } },
      { args: ['status', 'acq'], kwargs: { params: null, timeout: null } },
      { args: ['stop', 'acq'], kwargs: { params: null, timeout: null } },
    ]);
    expect(() => client.process('delay_task')).toThrow(ClientUsageError);
    expect(await client.special('echo_kwargs', { action: 'acquire', expire_at: 1.5 })).toEqual({ action: 'acquire', expire_at: 1.5 });
  });

  it('drops the password with a warning when the agent has no access_control (§5.4)', async () => {
    const warnings: string[] = [];
    await using client = await OCSClient.connect('old', { siteHttp: router.httpUrl, privs: 'secret', onWarning: (m) => warnings.push(m) });
    await client.task('delay_task').status();
    expect(lastCalls(old, 1)).toEqual([{ args: ['status', 'delay_task', {}], kwargs: {} }]);
    expect(warnings).toEqual(['Agent observatory.old does not advertise access_control; the password will not be sent.']);
  });
});

describe('OCSClient errors (ocs-protocol.md §3.1)', () => {
  it('raises no_such_procedure for an absent agent over both transports', async () => {
    for (const opts of [{ siteHttp: router.httpUrl }, { siteHub: router.url, realm: REALM, transport: 'wamp' as const }]) {
      const err = (await OCSClient.connect('nope', opts).catch((e: unknown) => e)) as ControlClientError;
      expect(err).toBeInstanceOf(ControlClientError);
      expect(err.uri).toBe('wamp.error.no_such_procedure');
      expect(err.args).toEqual(['no callee registered for procedure <observatory.nope>']);
    }
  });

  it('raises SiteConfigError without a URL for the chosen transport', async () => {
    await expect(OCSClient.connect('faker', { site: 'none' })).rejects.toBeInstanceOf(SiteConfigError);
    await expect(OCSClient.connect('faker', { site: 'none', transport: 'wamp', siteHub: router.url })).rejects.toThrow(/realm/);
  });

  it('fails an in-flight WAMP call when the connection closes', async () => {
    const r2 = await startRouter({ port: 0, pingIntervalMs: 0 });
    const hanger = await startRecordingCallee({ url: r2.url, realm: REALM, root: ROOT, id: 'faker' });
    const client = await OCSClient.connect('faker', { siteHub: r2.url, realm: REALM, transport: 'wamp' });
    const pending = client.request({ action: 'wait', opName: 'hang' }).catch((e: unknown) => e);
    await waitUntil(() => hanger.calls.length === 1);
    await r2.close();
    const err = (await pending) as ControlClientError;
    expect(err).toBeInstanceOf(ControlClientError);
    expect(err.uri).toBe('wamp.error.canceled');
    hanger.close();
    await client.close();
  });
});

describe('WampClientSession', () => {
  it('delivers wildcard events with details.topic and scans heartbeats', async () => {
    await using session = await WampClientSession.connect({ url: router.url, realm: REALM });
    const topics: string[] = [];
    const sub = await session.subscribe(`${ROOT}..feeds.heartbeat`, (ev) => topics.push(ev.details.topic), { match: 'wildcard' });
    await waitUntil(() => topics.length >= 2);
    await sub.unsubscribe();
    expect(new Set(topics)).toEqual(new Set(['observatory.faker.feeds.heartbeat']));
    const agents = await scanHeartbeats(session, ROOT, 400);
    expect(agents.map((a) => [a.instance_id, a.agent_class, a.op_codes])).toEqual([['faker', 'RecordingAgent', { acq: 1, delay_task: 5 }]]);
  });

  it('reports an unreachable router as connection_error', async () => {
    const r3 = await startRouter({ port: 0 });
    const url = r3.url;
    await r3.close();
    const err = (await WampClientSession.connect({ url, realm: REALM }).catch((e: unknown) => e)) as ControlClientError;
    expect(err.uri).toBe(CONNECTION_ERROR_URI);
  });
});

async function waitUntil(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
