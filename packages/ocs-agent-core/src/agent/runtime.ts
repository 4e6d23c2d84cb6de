/**
 * A running agent: WAMP join sequence (ocs-protocol.md 6.5), management and ops procedures,
 * feeds and the 1 Hz heartbeat, subscriptions, reconnects and shutdown (6.6-6.8).
 */
import type { Session } from 'autobahn';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { OCS_ERROR_CODES, OcsError, WampError } from '../errors.js';
import { WampConnection } from '../wamp/connection.js';
import type { SerializerName } from '../wamp/serializers.js';
import { AccessController, SUPERUSER, parseAccessPolicy } from './access.js';
import { Feed, type FeedOptions } from './feed.js';
import { OpsEngine, type OpsReply } from './ops-engine.js';
import { managementCall, opsCall } from './endpoints.js';
import { unwrapFloats } from './params.js';
import { wireText } from './wire-text.js';
import type { CommonArgs } from '../config/common-args.js';
import type { AgentHandle, FeedEvent, OcsReply, OpDef, SubscribeOptions } from './types.js';


interface Sub {
  topic: string;
  handler: (ev: FeedEvent) => void;
  options: SubscribeOptions;
}

/** Construction options of {@link AgentRuntime}. */
export interface RuntimeOptions {
  agentClass: string;
  args: CommonArgs & Record<string, unknown>;
  log: Logger;
  serializers?: readonly SerializerName[];
}

/** The live agent. Implements {@link AgentHandle} for ops and setup code. */
export class AgentRuntime implements AgentHandle<unknown, unknown> {
  readonly instanceId: string;
  readonly address: string;
  readonly addressRoot: string;
  readonly args: CommonArgs & Record<string, unknown>;
  readonly log: Logger;
  /** Feed `session_id`: `str(time.time())` at construction (4.2). */
  readonly agentSessionId: string;
  readonly engine: OpsEngine;
  readonly access: AccessController;
  state: unknown = undefined;
  private readonly agentClass: string;
  private readonly feeds = new Map<string, Feed>();
  private readonly subs: Sub[] = [];
  private readonly conn: WampConnection;
  private registered = false;
  private firstJoinDone = false;
  private heartbeatOn = true;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private selfLeaving = false;
  private readyResolve!: () => void;
  /** Resolves on the first successful registration. */
  readonly ready: Promise<void> = new Promise((r) => (this.readyResolve = r));
  /** Called when the watchdog fires (set by the owner). */
  onWatchdog: () => void = () => undefined;

  constructor(opts: RuntimeOptions) {
    const start = (performance.timeOrigin + performance.now()) / 1000;
    this.agentSessionId = String(start);
    this.agentClass = opts.agentClass;
    this.args = opts.args;
    this.log = opts.log;
    this.instanceId = opts.args.instanceId;
    this.addressRoot = opts.args.addressRoot;
    this.address = `${this.addressRoot}.${this.instanceId}`;
    this.access = new AccessController(parseAccessPolicy(opts.args.accessPolicy), start, opts.agentClass, opts.args.instanceId);
    this.watchDirector();
    this.engine = new OpsEngine(this.access, this.log, () => this);
    this.conn = new WampConnection({
      url: opts.args.siteHub,
      realm: opts.args.siteRealm,
      log: this.log.child({ component: 'wamp' }),
      serializers: opts.serializers,
      crossbarTimeout: opts.args.crossbarTimeout,
      onJoin: (s) => this.onJoin(s),
      onLeave: (reason) => this.onLeave(reason),
      onWatchdog: () => this.onWatchdog(),
    });
  }

  get connected(): boolean {
    return this.registered;
  }

  /** Register an op (before {@link connect}). */
  addOp(name: string, def: OpDef<unknown, unknown>): void {
    this.engine.add(name, def);
  }

  registerFeed(name: string, options: FeedOptions = {}): void {
    const feed = new Feed(
      name,
      options,
      { agentAddress: this.address, sessionId: this.agentSessionId, agentClass: this.agentClass },
      (topic, args) => this.send(topic, args),
      (msg) => this.log.warn(msg),
    );
    this.feeds.set(name, feed);
  }

  private feed(name: string): Feed {
    const f = this.feeds.get(name);
    if (!f) throw new OcsError(OCS_ERROR_CODES.feedUnknown, `No feed called "${name}"`);
    return f;
  }

  publish(feed: string, message: unknown): void {
    this.feed(feed).publish(message);
  }

  flush(feed: string): void {
    this.feed(feed).flush();
  }

  setHeartbeat(on: boolean): void {
    this.heartbeatOn = on;
  }

  private send(topic: string, args: unknown[]): boolean {
    const s = this.conn.current;
    if (!s || !s.isOpen) return false;
    try {
      s.publish(topic, args);
      return true;
    } catch (err) {
      this.log.warn({ err, topic }, 'publish failed');
      return false;
    }
  }

  /** Start connecting; resolves immediately (see {@link ready}). */
  connect(): void {
    this.conn.start();
  }

  private async onJoin(session: Session): Promise<boolean> {
    try {
      await session.register(`${this.address}.ops`, (a, k) => this.opsEndpoint(a, k));
      await session.register(this.address, (a, k) => this.managementEndpoint(a, k));
    } catch (err) {
      const uri = (err as { error?: string }).error ?? String(err);
      this.log.error({ error: uri }, `Failed to register basic handlers @ ${this.address}; is this agent already running? (or realm/address_root mismatch)`);
      this.selfLeaving = true;
      this.conn.leave();
      return false;
    }
    if (!this.feeds.has('heartbeat')) this.registerFeed('heartbeat');
    this.startHeartbeat();
    if (!(await this.subscribeAll(session))) {
      this.selfLeaving = true;
      this.conn.leave();
      return false;
    }
    if (!session.isOpen || this.conn.current !== session) return false; // lost while subscribing
    if (!this.firstJoinDone) {
      this.firstJoinDone = true;
      for (const [name, params] of this.engine.startupOps()) {
        this.log.info(`startup-op: launching ${name}`);
        const [code, msg] = this.engine.start(name, params, SUPERUSER);
        if (code !== 0) this.log.error({ op: name }, `startup-op failed: ${msg}`);
      }
    }
    this.registered = true;
    this.log.info({ address: this.address }, 'registered');
    this.readyResolve();
    this.directorPoll(session);
    return true;
  }

  /** Policy director: follow `R.<director>.feeds.controls` (restored on every join). */
  private watchDirector(): void {
    const p = this.access.policy;
    if (p.kind !== 'director') return;
    this.subs.push({
      topic: `${this.addressRoot}.${p.directorId}.feeds.controls`,
      options: {},
      handler: (ev) => {
        if (this.access.applyDirectorMessage(ev.message, Date.now() / 1000)) this.log.info('access rules updated by the director');
        else this.log.debug('access director message ignored');
      },
    });
  }

  private directorPoll(session: Session): void {
    const p = this.access.policy;
    if (p.kind !== 'director') return;
    session
      .call(`${this.addressRoot}.${p.directorId}.agent_poll`, [], { instance_id: this.instanceId, agent_class: this.agentClass })
      .catch((err: unknown) => this.log.warn({ err: (err as { error?: string }).error ?? String(err) }, 'agent_poll failed'));
  }

  private onLeave(reason: string): void {
    this.log.info({ reason }, 'session left');
    this.registered = false;
    this.stopHeartbeat();
    const self = this.selfLeaving;
    this.selfLeaving = false;
    if (reason === 'wamp.close.normal' && !self) this.stopAllOps();
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    const t0 = Date.now();
    let n = 0;
    const tick = (): void => {
      if (this.heartbeatOn) this.feeds.get('heartbeat')?.publish(this.engine.opCodes());
      const now = Date.now();
      n += 1;
      let next = t0 + n * 1000;
      if (next <= now) {
        n = Math.floor((now - t0) / 1000) + 1; // skip missed ticks, keep the phase
        next = t0 + n * 1000;
      }
      this.heartbeatTimer = setTimeout(tick, next - now);
    };
    tick();
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  private opsEndpoint(args: unknown[], kwargs: Record<string, unknown>): Promise<OpsReply> {
    return opsCall(this.engine, args, kwargs);
  }

  private managementEndpoint(args: unknown[], kwargs: Record<string, unknown>): unknown {
    return managementCall(args, kwargs, {
      getApi: () => this.getApi(),
      tasks: () => this.engine.listing('task'),
      processes: () => this.engine.listing('process'),
      feeds: () => this.feedListing(),
      agentClass: this.agentClass,
    });
  }

  private feedListing(): [string, unknown][] {
    return [...this.feeds.entries()].map(([name, f]) => [name, f.encoded()]);
  }

  /** The get_api dict (2.1), Python key order. */
  getApi(): Record<string, unknown> {
    return {
      agent_class: this.agentClass,
      instance_hostname: hostname(),
      instance_pid: process.pid,
      feeds: this.feedListing(),
      processes: this.engine.listing('process'),
      tasks: this.engine.listing('task'),
      access_control: this.access.info(),
    };
  }

  async subscribe(topic: string, handler: (ev: FeedEvent) => void, options: SubscribeOptions = {}): Promise<void> {
    const sub: Sub = { topic, handler, options };
    this.subs.push(sub);
    const s = this.conn.current;
    if (s && this.registered && !(await this.subscribeNow(s, sub))) {
      this.selfLeaving = true;
      this.conn.leave();
    }
  }

  /**
   * Subscribe every startup subscription in parallel and wait for the router's SUBSCRIBED
   * (6.5 step 3), including subscriptions added while waiting. False when one failed (logged).
   */
  private async subscribeAll(session: Session): Promise<boolean> {
    let done = 0;
    while (done < this.subs.length) {
      const batch = this.subs.slice(done);
      done = this.subs.length;
      const ok = await Promise.all(batch.map((sub) => this.subscribeNow(session, sub)));
      if (!ok.every(Boolean)) return false;
    }
    return true;
  }

  /** Subscribe one; on failure log and return false (the caller leaves, 4.7). */
  private async subscribeNow(session: Session, sub: Sub): Promise<boolean> {
    const options = sub.options.match && sub.options.match !== 'exact' ? { match: sub.options.match } : undefined;
    try {
      await session.subscribe(
        sub.topic,
        (args, kwargs, details) => {
          const a = unwrapFloats(args ?? []) as unknown[];
          const env = a[0];
          const isEnv = Array.isArray(env) && env.length === 2 && env[1] !== null && typeof env[1] === 'object' && 'feed_name' in (env[1] as object);
          try {
            sub.handler({
              message: isEnv ? env[0] : env,
              feedInfo: isEnv ? (env[1] as FeedEvent['feedInfo']) : undefined,
              topic: details.topic ?? sub.topic,
              args: a,
              kwargs: (unwrapFloats(kwargs ?? {}) as Record<string, unknown>),
            });
          } catch (err) {
            this.log.error({ err, topic: sub.topic }, 'subscription handler failed');
          }
        },
        options,
      );
      return true;
    } catch (err) {
      this.log.error({ error: (err as { error?: string }).error ?? String(err), topic: sub.topic }, 'subscribe failed; leaving');
      return false;
    }
  }

  async call(procedure: string, args: unknown[] = [], kwargs: Record<string, unknown> = {}): Promise<unknown> {
    const s = this.conn.current;
    if (!s || !s.isOpen) throw new WampError(OCS_ERROR_CODES.notConnected, `Not connected; cannot call ${procedure}`);
    try {
      return unwrapFloats(await s.call(procedure, args, kwargs));
    } catch (err) {
      const e = err as { error?: string; args?: unknown[] };
      throw new WampError(OCS_ERROR_CODES.wampCall, `${procedure}: ${e.error ?? String(err)} ${wireText(e.args ?? [])}`, { cause: err, wampError: e.error, args: e.args });
    }
  }

  async callOp(target: string, action: 'start' | 'stop' | 'abort' | 'wait' | 'status', opName: string, params: Record<string, unknown> | null = null, timeout: number | null = null): Promise<OcsReply> {
    const address = target.includes('.') ? target : `${this.addressRoot}.${target}`;
    const r = (await this.call(`${address}.ops`, [action, opName], { params, timeout })) as [number, string, Record<string, unknown>];
    return { status: r[0], msg: r[1], session: r[2] };
  }

  /** Stop processes / abort tasks that are running (internal key, so never refused). */
  stopAllOps(): void {
    for (const { name, kind } of this.engine.activeOps()) {
      const [code, msg] = this.engine.stop(kind === 'task' ? 'abort' : 'stop', name, {}, SUPERUSER);
      this.log.info({ op: name, code }, msg);
    }
  }

  /** 6.7 shutdown: stop/abort everything, wait up to `graceMs`, leave the realm. */
  async shutdown(graceMs = 3000): Promise<void> {
    this.stopAllOps();
    const all = await this.engine.allDone(graceMs);
    if (!all) this.log.warn('ops still running after grace period');
    this.engine.abortAll();
    this.stopHeartbeat();
    await this.conn.close();
    this.registered = false;
  }
}
