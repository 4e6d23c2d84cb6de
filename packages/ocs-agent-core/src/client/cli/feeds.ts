/**
 * Feed helpers for the CLI: topic resolution for `listen` and heartbeat collection for `scan`
 * (ocs-protocol.md §4.6, §4.7).
 */
import type { MatchPolicy, WampClientSession, WampEvent } from '../wamp-session.js';

/** A topic to subscribe to, with its match policy. */
export interface TopicSpec {
  topic: string;
  match: MatchPolicy;
}

/**
 * Resolve a `listen` argument: a full URI starting with `<root>.`, or the shorthand
 * `<instance-id>.feeds.<name>` (the root is prepended). A topic with an empty component
 * (`..`, or a trailing `.`) is a wildcard subscription, e.g. `observatory..feeds.heartbeat`.
 */
export function resolveFeedTopic(arg: string, addressRoot: string): TopicSpec {
  const topic = arg.startsWith(`${addressRoot}.`) ? arg : `${addressRoot}.${arg}`;
  const wildcard = topic.includes('..') || topic.endsWith('.');
  return { topic, match: wildcard ? 'wildcard' : 'exact' };
}

/** What `scan` learned about one agent from its heartbeats. */
export interface ScannedAgent {
  instance_id: string;
  address: string;
  agent_class: string | null;
  /** Agent process session id (feed_info.session_id), a string. */
  session_id: string | null;
  /** Last heartbeat payload: op name → op code. */
  op_codes: Record<string, number>;
  heartbeats: number;
  /** ctime of the last heartbeat. */
  last_seen: number;
}

function instanceIdFromTopic(topic: string, addressRoot: string): string {
  const prefix = `${addressRoot}.`;
  const suffix = '.feeds.heartbeat';
  const inner = topic.startsWith(prefix) ? topic.slice(prefix.length) : topic;
  return inner.endsWith(suffix) ? inner.slice(0, -suffix.length) : inner;
}

/** Fold one heartbeat EVENT into the scan result (payload `[[op_codes, feed_info]]`). */
export function recordHeartbeat(agents: Map<string, ScannedAgent>, event: WampEvent, addressRoot: string, now: number): void {
  const instanceId = instanceIdFromTopic(event.details.topic, addressRoot);
  const [payload] = event.args;
  const [opCodes, feedInfo] = Array.isArray(payload) ? (payload as [unknown, unknown]) : [undefined, undefined];
  const info = (feedInfo !== null && typeof feedInfo === 'object' ? feedInfo : {}) as Record<string, unknown>;
  const prev = agents.get(instanceId);
  agents.set(instanceId, {
    instance_id: instanceId,
    address: typeof info.agent_address === 'string' ? info.agent_address : `${addressRoot}.${instanceId}`,
    agent_class: typeof info.agent_class === 'string' ? info.agent_class : null,
    session_id: typeof info.session_id === 'string' ? info.session_id : null,
    op_codes: opCodes !== null && typeof opCodes === 'object' ? (opCodes as Record<string, number>) : {},
    heartbeats: (prev?.heartbeats ?? 0) + 1,
    last_seen: now,
  });
}

/**
 * Listen on `<root>..feeds.heartbeat` (wildcard) for `durationMs` and return the agents seen,
 * sorted by instance-id.
 */
export async function scanHeartbeats(session: WampClientSession, addressRoot: string, durationMs: number): Promise<ScannedAgent[]> {
  const agents = new Map<string, ScannedAgent>();
  const sub = await session.subscribe(
    `${addressRoot}..feeds.heartbeat`,
    (event) => recordHeartbeat(agents, event, addressRoot, Date.now() / 1000),
    { match: 'wildcard' },
  );
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  await sub.unsubscribe();
  return [...agents.values()].sort((a, b) => a.instance_id.localeCompare(b.instance_id));
}
