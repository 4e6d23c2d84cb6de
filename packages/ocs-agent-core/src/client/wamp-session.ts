/**
 * A client-side WAMP session (autobahn-js over WebSocket) for calls and feed subscriptions, as
 * used by `ocs-client listen`/`scan` and by OCSClient with `transport: 'wamp'`.
 *
 * One connection, no automatic reconnect: a client that loses the router gets a rejected call
 * (pending calls are failed with `wamp.error.canceled`, since autobahn itself leaves them hanging)
 * and an `onClose` notification.
 */
import { autobahn, type AbConnection, type AbSerializer, type AbSession, type AbSubscription } from './autobahn-types.js';
import { ControlClientError, CONNECTION_ERROR_URI } from './errors.js';
import { jsonCodec } from './json-codec.js';

/** URI used for calls that were in flight when the client's connection closed. */
export const CANCELED_URI = 'wamp.error.canceled';

/** How long `close()` waits for the router's GOODBYE and the socket close, in ms. */
const CLOSE_GRACE_MS = 2000;

/** Subscription match policy (WAMP basic/advanced profile; ocs-protocol.md §1.3). */
export type MatchPolicy = 'exact' | 'prefix' | 'wildcard';

/** One feed/topic EVENT as delivered to a handler. */
export interface WampEvent {
  /** Positional payload. OCS feeds send exactly one: `[message, feed_info]` (ocs-protocol.md §4.2). */
  args: unknown[];
  /** Keyword payload (empty for OCS feeds). */
  kwargs: Record<string, unknown>;
  /** Event details; `topic` is the concrete topic, also for pattern subscriptions. */
  details: { topic: string; publication: number };
}

/** A live subscription; `unsubscribe()` is idempotent. */
export interface WampSubscription {
  readonly topic: string;
  unsubscribe(): Promise<void>;
}

/** Options of {@link WampClientSession.connect}. */
export interface WampSessionOptions {
  /** WebSocket URL of the router, e.g. `ws://127.0.0.1:8001/ws` (site `hub.wamp_server`). */
  url: string;
  /** Realm, e.g. `test_realm` (site `hub.wamp_realm`). */
  realm: string;
  /** Called once when the connection closes after it was open (`closed` or `lost`). */
  onClose?: (reason: string, message: string) => void;
}

/** Result of a WAMP call: all positional and keyword results. */
export interface WampCallResult {
  args: unknown[];
  kwargs: Record<string, unknown>;
}

/** `wamp.2.json` serializer using the client's NaN/Infinity-tolerant JSON codec. */
const jsonSerializer: AbSerializer = {
  SERIALIZER_ID: 'json',
  BINARY: false,
  serialize: (obj) => jsonCodec.stringify(obj),
  unserialize: (payload) => jsonCodec.parse(typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8')),
};

function toControlError(err: unknown): ControlClientError {
  if (err instanceof ControlClientError) return err;
  if (err instanceof autobahn.Error) return new ControlClientError(err.error, err.args ?? [], err.kwargs ?? {});
  const message = err instanceof Error ? err.message : String(err);
  return new ControlClientError('wamp.error.runtime_error', [message], {}, { cause: err });
}

/** A joined WAMP session. Create with {@link WampClientSession.connect}; close with `close()`. */
export class WampClientSession {
  readonly url: string;
  readonly realm: string;
  readonly #connection: AbConnection;
  readonly #session: AbSession;
  readonly #pending = new Set<(err: ControlClientError) => void>();
  #closed: Promise<void> | undefined;
  #resolveClosed: (() => void) | undefined;
  #isOpen = true;

  private constructor(url: string, realm: string, connection: AbConnection, session: AbSession) {
    this.url = url;
    this.realm = realm;
    this.#connection = connection;
    this.#session = session;
  }

  /**
   * Open a WebSocket to `url`, join `realm` anonymously and resolve with the session.
   * Throws {@link ControlClientError} with {@link CONNECTION_ERROR_URI} when the router is
   * unreachable or refuses the join.
   */
  static connect(options: WampSessionOptions): Promise<WampClientSession> {
    const connection = new autobahn.Connection({
      url: options.url,
      realm: options.realm,
      max_retries: 0,
      retry_if_unreachable: false,
      use_es6_promises: true,
      serializers: [jsonSerializer],
    });
    return new Promise<WampClientSession>((resolve, reject) => {
      let client: WampClientSession | undefined;
      connection.onopen = (session) => {
        client = new WampClientSession(options.url, options.realm, connection, session);
        resolve(client);
      };
      connection.onclose = (reason, details) => {
        if (client === undefined) {
          const why = details.message || details.reason || reason;
          reject(new ControlClientError(CONNECTION_ERROR_URI, [`Failed to connect to ${options.url} (${why})`]));
        } else {
          client.#onConnectionClosed(reason, details.message ?? '', options.onClose);
        }
        return true; // never retry
      };
      connection.open();
    });
  }

  /** True until the connection closes. */
  get isOpen(): boolean {
    return this.#isOpen;
  }

  #onConnectionClosed(reason: string, message: string, onClose?: (reason: string, message: string) => void): void {
    this.#isOpen = false;
    const err = new ControlClientError(CANCELED_URI, [`connection to ${this.url} ${reason}`]);
    for (const fail of this.#pending) fail(err);
    this.#pending.clear();
    this.#resolveClosed?.();
    onClose?.(reason, message);
  }

  /** Call `procedure` and return every result. Throws {@link ControlClientError}. */
  async callFull(procedure: string, args: readonly unknown[] = [], kwargs: Readonly<Record<string, unknown>> = {}): Promise<WampCallResult> {
    if (!this.#isOpen) throw new ControlClientError(CANCELED_URI, [`connection to ${this.url} closed`]);
    const raw = await new Promise<unknown>((resolve, reject) => {
      this.#pending.add(reject);
      const settle = (fn: () => void): void => {
        this.#pending.delete(reject);
        fn();
      };
      try {
        this.#session.call(procedure, [...args], { ...kwargs }).then(
          (value) => settle(() => resolve(value)),
          (err: unknown) => settle(() => reject(toControlError(err))),
        );
      } catch (err) {
        settle(() => reject(toControlError(err)));
      }
    });
    if (raw instanceof autobahn.Result) return { args: raw.args, kwargs: raw.kwargs };
    return { args: raw === null || raw === undefined ? [] : [raw], kwargs: {} };
  }

  /** Call `procedure` and return the first positional result (`null` if none). */
  async call(procedure: string, args: readonly unknown[] = [], kwargs: Readonly<Record<string, unknown>> = {}): Promise<unknown> {
    const res = await this.callFull(procedure, args, kwargs);
    return res.args[0] ?? null;
  }

  /**
   * Subscribe to `topic` with the given match policy. The handler receives every EVENT with
   * `details.topic` set to the concrete topic. Handler exceptions are caught by autobahn.
   */
  async subscribe(topic: string, handler: (event: WampEvent) => void, options: { match?: MatchPolicy } = {}): Promise<WampSubscription> {
    const match = options.match ?? 'exact';
    const wampOptions = match === 'exact' ? {} : { match };
    let sub: AbSubscription;
    try {
      sub = await this.#session.subscribe(
        topic,
        (args, kwargs, details) =>
          handler({ args, kwargs, details: { topic: details.topic ?? topic, publication: details.publication } }),
        wampOptions,
      );
    } catch (err) {
      throw toControlError(err);
    }
    let done = false;
    return {
      topic,
      unsubscribe: async () => {
        if (done || !this.#isOpen) return;
        done = true;
        await this.#session.unsubscribe(sub);
      },
    };
  }

  /** Leave the realm and close the WebSocket. Idempotent; resolves when the socket is closed. */
  close(): Promise<void> {
    if (this.#closed !== undefined) return this.#closed;
    if (!this.#isOpen) return (this.#closed = Promise.resolve());
    this.#closed = new Promise<void>((resolve) => {
      this.#resolveClosed = resolve;
      // A router that never answers GOODBYE must not hold the caller forever.
      setTimeout(resolve, CLOSE_GRACE_MS).unref();
    });
    this.#connection.close('wamp.close.normal');
    return this.#closed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
