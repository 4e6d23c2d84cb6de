/**
 * The `ocs-client` subcommands. Each takes the resolved global options and an output sink and
 * returns the process exit code (0 OK, 1 a failed request or non-OK reply).
 */
import { stringifyJson } from '@smurf-ocs/wamp-codec';
import { ClientUsageError, SiteConfigError } from '../errors.js';
import { OCSClient } from '../ocs-client.js';
import { ResponseCode, hasSession, opCodeName, type OCSReply, type ReplySession } from '../reply.js';
import { resolveHubSettings, type HubSettings, type SiteOptions } from '../site-hub.js';
import { WampClientSession } from '../wamp-session.js';
import type { Privs } from '../passwords.js';
import type { TransportKind } from '../control-transport.js';
import { resolveFeedTopic, scanHeartbeats } from './feeds.js';
import { clockTime, compactJson, formatApi, formatReply, formatStatusTable, statusRowsFromApi, summarizeFeedMessage, table } from './format.js';
import { parseParams } from './params.js';
import { abortableSleep } from '../../agent/ops-engine.js';

/** Global options shared by every subcommand. */
export interface GlobalOptions extends SiteOptions {
  transport: TransportKind;
  privs?: Privs;
  json: boolean;
}

/** Where a command writes and what stops it (Ctrl-C). */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
  /** Aborted on SIGINT; long-running commands (listen, watch) then end with exit code 0. */
  signal: AbortSignal;
}

function hub(g: GlobalOptions): HubSettings {
  return resolveHubSettings(g);
}

async function openSession(g: GlobalOptions): Promise<{ session: WampClientSession; root: string }> {
  const h = hub(g);
  if (h.wampServer === undefined || h.wampRealm === undefined) {
    throw new SiteConfigError('No WAMP URL/realm: pass --site-hub and --site-realm or use a site config with hub.wamp_server and hub.wamp_realm.');
  }
  return { session: await WampClientSession.connect({ url: h.wampServer, realm: h.wampRealm }), root: h.addressRoot };
}

function connectClient(instanceId: string, g: GlobalOptions): Promise<OCSClient> {
  return OCSClient.connect(instanceId, { ...g, transport: g.transport, ...(g.privs === undefined ? {} : { privs: g.privs }) });
}

/** `scan`: list agents heard on the heartbeat wildcard topic. */
export async function scanCommand(g: GlobalOptions, opts: { duration: number }, io: CommandIo): Promise<number> {
  const { session, root } = await openSession(g);
  try {
    const agents = await scanHeartbeats(session, root, opts.duration * 1000);
    if (g.json) {
      io.out(stringifyJson({ agents }));
      return 0;
    }
    io.out(`Agents heard on ${root}..feeds.heartbeat in ${opts.duration} s: ${agents.length}`);
    const rows = agents.map((a) => [
      a.instance_id,
      a.agent_class ?? '-',
      Object.entries(a.op_codes)
        .map(([op, code]) => `${op}=${opCodeName(code)}`)
        .join(' '),
    ]);
    if (rows.length > 0) io.out(table(['instance-id', 'agent_class', 'op codes'], rows));
    return 0;
  } finally {
    await session.close();
  }
}

/** `listen`: print every event on a feed topic until Ctrl-C, `--duration` or `--count`. */
export async function listenCommand(
  g: GlobalOptions,
  feed: string,
  opts: { duration?: number; count?: number; raw?: boolean },
  io: CommandIo,
): Promise<number> {
  const { session, root } = await openSession(g);
  const { topic, match } = resolveFeedTopic(feed, root);
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  io.signal.addEventListener('abort', onAbort, { once: true });
  let seen = 0;
  try {
    await session.subscribe(
      topic,
      (event) => {
        if (stop.signal.aborted) return;
        seen += 1;
        const [payload] = event.args;
        // OCS feeds publish one positional arg [message, feed_info] (ocs-protocol.md §4.2).
        const isEnvelope = Array.isArray(payload) && payload.length === 2;
        const message = isEnvelope ? payload[0] : payload;
        const record = isEnvelope && (payload[1] as { record?: unknown } | null)?.record === true;
        const text = opts.raw ? compactJson(message) : summarizeFeedMessage(message, record);
        if (g.json) io.out(stringifyJson({ topic: event.details.topic, args: event.args, kwargs: event.kwargs }));
        else io.out(`${clockTime(Date.now() / 1000)}  ${event.details.topic}  ${text}`);
        if (opts.count !== undefined && seen >= opts.count) stop.abort();
      },
      { match },
    );
    if (!g.json) io.err(`listening on ${topic} (${match}); Ctrl-C to stop`);
    await abortableSleep(opts.duration === undefined ? 2 ** 31 - 1 : opts.duration * 1000, stop.signal);
    return 0;
  } finally {
    io.signal.removeEventListener('abort', onAbort);
    await session.close();
  }
}

/** `api`: print the agent's `get_api`. */
export async function apiCommand(g: GlobalOptions, instanceId: string, opts: { doc: boolean }, io: CommandIo): Promise<number> {
  const client = await connectClient(instanceId, g);
  try {
    io.out(g.json ? stringifyJson(client.api) : formatApi(client.address, client.api, opts.doc));
    return 0;
  } finally {
    await client.close();
  }
}

const ACTIONS = ['start', 'wait', 'status', 'abort', 'stop', 'call'] as const;

function printReply(g: GlobalOptions, reply: OCSReply, io: CommandIo): number {
  io.out(g.json ? stringifyJson(reply) : formatReply(reply));
  return reply.status === ResponseCode.OK ? 0 : 1;
}

/** `call`: one ops action; `call` = start+wait for tasks, status for processes. */
export async function callCommand(
  g: GlobalOptions,
  args: { instanceId: string; op: string; action: string },
  opts: { param: string[]; timeout?: number },
  io: CommandIo,
): Promise<number> {
  if (!(ACTIONS as readonly string[]).includes(args.action)) {
    throw new ClientUsageError(`Unknown action "${args.action}"; use one of ${ACTIONS.join(', ')}.`);
  }
  const params = parseParams(opts.param);
  const client = await connectClient(args.instanceId, g);
  try {
    if (args.action === 'call') {
      const op = client.ops[args.op.replace(/[- ]/g, '_')];
      if (op === undefined) throw new ClientUsageError(`Agent ${client.address} has no op "${args.op}".`);
      return printReply(g, await op.call(params), io);
    }
    // Raw request: lets the agent answer unknown ops and wrong op types itself (§2.5).
    return printReply(g, await client.request({ action: args.action, opName: args.op, params, timeout: opts.timeout ?? null }), io);
  } finally {
    await client.close();
  }
}

/** `status`: table of every op (from one get_api), or one op's full status reply. */
export async function statusCommand(g: GlobalOptions, instanceId: string, op: string | undefined, io: CommandIo): Promise<number> {
  const client = await connectClient(instanceId, g);
  try {
    if (op !== undefined) return printReply(g, await client.request({ action: 'status', opName: op }), io);
    const rows = statusRowsFromApi(client.api);
    io.out(g.json ? stringifyJson({ address: client.address, ops: rows }) : `${client.address}\n${formatStatusTable(rows)}`);
    return 0;
  } finally {
    await client.close();
  }
}

function dataChanges(prev: ReplySession | null, next: ReplySession): string[] {
  const before = (prev?.session_id === next.session_id ? prev.data : undefined) as Record<string, unknown> | undefined;
  const after = (next.data ?? {}) as Record<string, unknown>;
  if (after === null || typeof after !== 'object') return [`data=${compactJson(after)}`];
  return Object.entries(after)
    .filter(([k, v]) => before === undefined || compactJson(before[k]) !== compactJson(v))
    .map(([k, v]) => `${k}=${compactJson(v)}`);
}

/** `watch`: poll one op's status, printing status and session.data changes until done or Ctrl-C. */
export async function watchCommand(g: GlobalOptions, instanceId: string, op: string, opts: { interval: number }, io: CommandIo): Promise<number> {
  const client = await connectClient(instanceId, g);
  let prev: ReplySession | null = null;
  let announcedIdle = false;
  try {
    for (;;) {
      const reply = await client.request({ action: 'status', opName: op });
      if (reply.status !== ResponseCode.OK) return printReply(g, reply, io);
      const s = hasSession(reply) ? reply.session : null;
      const line = s === null ? null : describeChange(prev, s);
      if (line !== null) io.out(g.json ? stringifyJson({ time: Date.now() / 1000, session: s }) : line);
      if (s === null && !announcedIdle) {
        announcedIdle = true;
        io.out(g.json ? stringifyJson({ time: Date.now() / 1000, session: null }) : `${op}: no session yet, waiting`);
      }
      prev = s ?? prev;
      if (s?.status === 'done') return s.success === true ? 0 : 1;
      if (!(await abortableSleep(opts.interval * 1000, io.signal))) return 0;
    }
  } finally {
    await client.close();
  }
}

function describeChange(prev: ReplySession | null, s: ReplySession): string | null {
  const changes = dataChanges(prev, s);
  const statusChanged = prev === null || prev.session_id !== s.session_id || prev.status !== s.status;
  if (!statusChanged && changes.length === 0) return null;
  const head = `${clockTime(Date.now() / 1000)}  ${s.op_name}[${s.session_id}] ${s.status}`;
  const done = s.status === 'done' ? (s.success ? ' SUCCEEDED' : ' FAILED') : '';
  return `${head}${done}${changes.length > 0 ? '  ' + changes.join(' ') : ''}`;
}
