/**
 * WAMP connection with OCS reconnect semantics (ocs-protocol.md 6.6): reconnect without limit
 * with backoff (1 s initial, x1.5, max 60 s, plus up to 1 s jitter), and a `crossbar_timeout`
 * watchdog that fires when no join succeeds within the timeout after a disconnect.
 */
import autobahn, { type Connection, type Session } from 'autobahn';
import type { Logger } from 'pino';
import { createRequire } from 'node:module';
import { autobahnSerializers, type SerializerName } from './serializers.js';

// autobahn-js writes its warnings with console.warn; route them to our logger instead.
const abLog = createRequire(import.meta.url)('autobahn/lib/log.js') as { warn: (...a: unknown[]) => void };
let abLogger: Logger | null = null;
abLog.warn = (...a: unknown[]) => abLogger?.debug({ autobahn: a.map(describe) }, 'autobahn');

function describe(x: unknown): string {
  if (typeof x === 'string') return x;
  if (x instanceof Error) return x.message;
  try {
    return JSON.stringify(x) ?? String(x);
  } catch {
    return String(x);
  }
}

/** Options of {@link WampConnection}. */
export interface WampConnectionOptions {
  url: string;
  realm: string;
  log: Logger;
  serializers?: readonly SerializerName[];
  /** Called on every join; resolve `true` when the agent is fully set up (registered). */
  onJoin: (session: Session) => Promise<boolean>;
  /** Called when a joined session is lost (before the reconnect is scheduled). */
  onLeave: (reason: string) => void;
  /** `crossbar_timeout` in seconds; 0 = wait forever. */
  crossbarTimeout: number;
  /** Called when the watchdog gives up. */
  onWatchdog: () => void;
  /** Backoff parameters (seconds); defaults as Twisted `backoffPolicy()`. */
  backoff?: { initial?: number; factor?: number; max?: number; jitter?: number };
}

/** A reconnecting WAMP session owner. */
export class WampConnection {
  private conn: Connection | null = null;
  private session: Session | null = null;
  private closing = false;
  private everConnected = false;
  private retryDelay: number;
  private retryTimer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private closedResolve: (() => void) | null = null;

  constructor(private readonly opts: WampConnectionOptions) {
    this.retryDelay = opts.backoff?.initial ?? 1;
    abLogger = opts.log;
  }

  /** The joined session, or null. */
  get current(): Session | null {
    return this.session;
  }

  /** Start connecting (returns immediately). */
  start(): void {
    this.attempt();
  }

  private attempt(): void {
    if (this.closing) return;
    const conn = new autobahn.Connection({
      url: this.opts.url,
      realm: this.opts.realm,
      serializers: autobahnSerializers(this.opts.serializers),
      max_retries: 0,
      retry_if_unreachable: false,
      // Handler exceptions are already turned into WAMP ERROR replies; log at debug only.
      on_user_error: (err: unknown, msg?: string) => this.opts.log.debug({ err: describe(err) }, msg ?? 'autobahn user error'),
      on_internal_error: (err: unknown, msg?: string) => this.opts.log.warn({ err: describe(err) }, msg ?? 'autobahn internal error'),
    });
    this.conn = conn;
    conn.onopen = (session) => {
      this.everConnected = true;
      this.session = session;
      this.opts.log.info({ url: this.opts.url, realm: this.opts.realm }, 'session joined');
      void this.opts.onJoin(session).then((ok) => {
        if (ok) this.joinedOk();
      });
    };
    conn.onclose = (reason, details) => {
      this.onClosed(reason, details.reason ?? '');
      return true; // we handle retries ourselves
    };
    conn.open();
  }

  private joinedOk(): void {
    this.retryDelay = this.opts.backoff?.initial ?? 1;
    if (this.watchdog) {
      clearTimeout(this.watchdog);
      this.watchdog = null;
    }
  }

  private onClosed(reason: string, wampReason: string): void {
    const wasJoined = this.session !== null;
    this.session = null;
    this.conn = null;
    if (wasJoined) this.opts.onLeave(wampReason || reason);
    if (this.closing) {
      this.closedResolve?.();
      return;
    }
    this.opts.log.warn({ reason, wampReason }, 'transport disconnected');
    if (this.everConnected) this.armWatchdog();
    this.scheduleRetry();
  }

  private armWatchdog(): void {
    const t = this.opts.crossbarTimeout;
    if (t <= 0 || this.watchdog) return;
    this.watchdog = setTimeout(() => {
      this.watchdog = null;
      this.opts.log.error({ crossbarTimeout: t }, 'no rejoin within crossbar_timeout; shutting down');
      this.opts.onWatchdog();
    }, t * 1000);
  }

  private scheduleRetry(): void {
    const b = this.opts.backoff ?? {};
    const delay = Math.min(this.retryDelay, b.max ?? 60) + Math.random() * (b.jitter ?? 1);
    this.retryDelay = Math.min(this.retryDelay * (b.factor ?? 1.5), b.max ?? 60);
    this.opts.log.info({ delaySeconds: Number(delay.toFixed(3)) }, 'reconnecting');
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.attempt();
    }, delay * 1000);
  }

  /** Leave the current session (registration failure); the reconnect loop continues. */
  leave(): void {
    try {
      this.session?.leave('wamp.close.normal');
    } catch {
      /* already closed */
    }
  }

  /** Close for good: GOODBYE `wamp.close.normal`, no reconnect. Resolves when the transport is closed. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.watchdog) clearTimeout(this.watchdog);
    this.retryTimer = null;
    this.watchdog = null;
    const conn = this.conn;
    if (!conn) return;
    const closed = new Promise<void>((resolve) => {
      this.closedResolve = resolve;
    });
    try {
      conn.close('wamp.close.normal');
    } catch {
      return;
    }
    await Promise.race([closed, new Promise((r) => setTimeout(r, 2000).unref())]);
  }
}
