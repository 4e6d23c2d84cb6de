/**
 * Public types of an agent definition (docs/design/agent-api.md): ops, contexts, the agent
 * handle. Wire formats are in ocs-protocol.md sections 2 and 4.
 */
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { FeedInfo, FeedOptions } from './feed.js';
import type { OpSessionView } from './op-session.js';
import type { ParamDecl, ParamSpec } from './params.js';
import type { CommonArgs } from '../config/common-args.js';

/** What an op returns: `[ok, message]` (Python `(ok, msg)`). `ok` is normally a boolean. */
export type OpResult = readonly [ok: boolean | unknown, message: string];

/** A reply of the ops procedure `[code, message, session]` as received by a caller. */
export interface OcsReply {
  status: number;
  msg: string;
  session: Record<string, unknown>;
}

/** Event delivered to a feed subscription handler. */
export interface FeedEvent {
  /** `args[0][0]` of an OCS feed envelope (the message), or `args[0]` for other topics. */
  message: unknown;
  /** `args[0][1]` of an OCS feed envelope, when present. */
  feedInfo: FeedInfo | undefined;
  /** The concrete topic (from EVENT details for pattern subscriptions). */
  topic: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
}

/** Subscription options (`match` as WAMP SubscribeOptions). */
export interface SubscribeOptions {
  match?: 'exact' | 'prefix' | 'wildcard';
}

/** What ops and setup code can do with the running agent. */
export interface AgentHandle<State = unknown, Args = unknown> {
  /** `--instance-id`. */
  readonly instanceId: string;
  /** Agent address `R.I`. */
  readonly address: string;
  /** `--address-root`. */
  readonly addressRoot: string;
  /** The value returned by `setup` (undefined while setup runs). */
  readonly state: State;
  /** Parsed arguments (camelCase keys). */
  readonly args: Args;
  /** Root logger of the agent. */
  readonly log: Logger;
  /** True while joined and registered. */
  readonly connected: boolean;
  /**
   * Publish on one of this agent's feeds. Record feeds validate (throwing `FeedError`) and
   * buffer (4.4); plain feeds send immediately. Messages are dropped (logged) while disconnected.
   */
  publish(feed: string, message: unknown): void;
  /** Flush a record feed's buffer now (Python `flush_buffer`). */
  flush(feed: string): void;
  /** Register a feed at run time (4.1); it appears in get_api from now on. */
  registerFeed(name: string, options?: FeedOptions): void;
  /** Turn the 1 Hz heartbeat on/off (FakeData `set_heartbeat`). */
  setHeartbeat(on: boolean): void;
  /**
   * Subscribe to a topic, e.g. another agent's feed `R.<id>.feeds.<name>` or the wildcard
   * `R..feeds.heartbeat` with `{ match: 'wildcard' }`. Restored on every rejoin.
   */
  subscribe(topic: string, handler: (ev: FeedEvent) => void, options?: SubscribeOptions): Promise<void>;
  /**
   * Call an op of another agent like Python `call_op` (args `[action, op_name]`, kwargs
   * `{params, timeout}`). `target` is an instance id or a full agent address.
   */
  callOp(target: string, action: 'start' | 'stop' | 'abort' | 'wait' | 'status', opName: string, params?: Record<string, unknown> | null, timeout?: number | null): Promise<OcsReply>;
  /** Raw WAMP call (single positional result returned). */
  call(procedure: string, args?: unknown[], kwargs?: Record<string, unknown>): Promise<unknown>;
}

/** Context of an op run. */
export interface OpContext<Params = Record<string, unknown>, State = unknown, Args = unknown> {
  /** Validated params (declared keys, defaults filled) or the raw params if the op declares none. */
  params: Params;
  session: OpSessionView;
  /** Aborted when stop/abort is requested (after the stopper ran) or the agent shuts down. */
  signal: AbortSignal;
  /** Child logger `{ op, session_id }`. */
  log: Logger;
  agent: AgentHandle<State, Args>;
  /** Abortable sleep; resolves true after `ms`, false when the signal aborted first. */
  sleep(ms: number): Promise<boolean>;
}

/** Context of a stop/abort function. `params` is passed through untouched (Q10). */
export interface StopContext<State = unknown, Args = unknown> {
  params: unknown;
  session: OpSessionView;
  log: Logger;
  agent: AgentHandle<State, Args>;
}

/** Param declaration forms accepted by an op. */
export type OpParams = z.ZodObject | ParamSpec | Record<string, ParamDecl>;

interface OpDefBase<State, Args> {
  /** `op_info.docstring`, verbatim (null = Python op without docstring). */
  docstring?: string | null;
  /** `op_info.blocking` as the Python agent reports it. Default true. */
  blocking?: boolean;
  /** Auto-start on the first join: true = `{}` params, an object = those params. Default false. */
  startup?: boolean | Record<string, unknown>;
  /** `min_privs` (reported as max(1, value)). Default 1. */
  minPrivs?: number;
  /** Param declarations (2.6). Absent = the op gets the raw params with no validation. */
  params?: OpParams;
  /**
   * The op body. Runs after the start reply went out. Declared as a method so an op may annotate
   * its params precisely, e.g. `start(ctx: OpContext<{ delay: number }, State, Args>)`.
   */
  start(ctx: OpContext<Record<string, unknown>, State, Args>): Promise<OpResult>;
}

/** A task: finishes on its own; optional `abort`. */
export interface TaskDef<State = unknown, Args = unknown> extends OpDefBase<State, Args> {
  kind: 'task';
  /** Aborter; without it `abort` replies OK and does nothing (abortable=false). */
  abort?(ctx: StopContext<State, Args>): void | Promise<void>;
}

/** A process: runs until stopped. Default stop sets the status to `stopping`. */
export interface ProcessDef<State = unknown, Args = unknown> extends OpDefBase<State, Args> {
  kind: 'process';
  stop?(ctx: StopContext<State, Args>): void | Promise<void>;
}

/** A task or process definition. */
export type OpDef<State = unknown, Args = unknown> = TaskDef<State, Args> | ProcessDef<State, Args>;

type CamelCase<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S;

/** Parsed args: agent flags (camelCase) plus the common site arguments. */
export type ParsedArgs<A extends Record<string, z.ZodType>> = { [K in keyof A as CamelCase<K & string>]: z.output<A[K]> } & CommonArgs;

/** Full agent definition for {@link defineAgent}. */
export interface AgentDefinition<A extends Record<string, z.ZodType> = Record<string, z.ZodType>, State = unknown> {
  /** `agent_class` reported in get_api and feed_info; also used to find the SCF entry. */
  agentClass: string;
  /** One-line description (CLI help). */
  summary?: string;
  /** Agent flags: key = Python flag without dashes; zod schema (z.boolean() = store_true). */
  args?: A;
  /** Feeds registered before join (in this order), static or computed from the args. */
  feeds?: Record<string, FeedOptions> | ((args: ParsedArgs<A>) => Record<string, FeedOptions>);
  /** Created after args are parsed, before join. */
  setup?: (ctx: { args: ParsedArgs<A>; log: Logger; agent: AgentHandle<State, ParsedArgs<A>> }) => Promise<State> | State;
  /** Disposes the state on shutdown (after ops stopped). */
  teardown?: (ctx: { state: State; log: Logger }) => Promise<void> | void;
  /** Ops in registration order (heartbeat order), static or computed from the args. */
  ops: Record<string, OpDef<State, ParsedArgs<A>>> | ((args: ParsedArgs<A>) => Record<string, OpDef<State, ParsedArgs<A>>>);
}
