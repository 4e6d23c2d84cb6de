/**
 * One WebSocket transport and the WAMP session on it (WAMP spec "Session Lifecycle";
 * ocs-protocol.md 1.1). HELLO -> WELCOME with anonymous auth and role `iocs_agent`, or ABORT
 * for an unknown realm; GOODBYE is answered and the transport may join again; a dropped
 * transport cleans up like GOODBYE. Every frame is decoded losslessly (integral floats stay
 * floats) and every outgoing message is encoded with this peer's serializer.
 */
import { type WampSerializer, WampCodecError } from '@smurf-ocs/wamp-codec';
import type { Logger } from 'pino';
import type { RawData, WebSocket } from 'ws';
import type { RouterCounters } from './counters.js';
import { ProtocolViolationError } from './errors.js';
import { anonymousAuthid } from './ids.js';
import { Fields } from './message-fields.js';
import type { AuthRole, Peer } from './peer.js';
import type { Realm } from './realm.js';
import { type Dict, isDict, MSG, URI } from './wamp-messages.js';

/** What a session needs from its router. */
export interface SessionHost {
  realm(name: string): Realm | undefined;
  newSessionId(): number;
  /** Returns a session id to the pool once its session has left. */
  releaseSessionId(id: number): void;
  readonly counters: RouterCounters;
  readonly log: Logger;
}

/**
 * WELCOME.Details.roles: the features this router implements (autobahn-python requires the
 * `roles` key with only broker/dealer; ocs-wire-transcript.md).
 */
const ROUTER_ROLES = {
  broker: { features: { pattern_based_subscription: true, publisher_exclusion: true, subscriber_blackwhite_listing: true } },
  dealer: { features: { call_canceling: true, progressive_call_results: true } },
};

const NAMES: Record<number, string> = Object.fromEntries(Object.entries(MSG).map(([k, v]) => [v, k]));

/** A WebSocket peer. */
export class WsSession implements Peer {
  id = 0;
  realm = '';
  authid = '';
  readonly authrole: AuthRole = 'iocs_agent';
  acceptsInterrupt = false;
  private joined: Realm | undefined;
  private closing = false;

  constructor(
    private readonly ws: WebSocket,
    readonly serializer: WampSerializer,
    private readonly host: SessionHost,
    private readonly log: Logger,
  ) {
    ws.on('message', (data, isBinary) => this.onFrame(data, isBinary));
    ws.on('close', () => this.detach());
    ws.on('error', (err) => this.log.debug({ err }, 'websocket error'));
  }

  /** True while a realm is joined. */
  get isJoined(): boolean {
    return this.joined !== undefined;
  }

  send(msg: unknown[], frames?: Map<string, string | Uint8Array>): void {
    let data = frames?.get(this.serializer.id);
    if (data === undefined) {
      data = this.serializer.encode(msg);
      frames?.set(this.serializer.id, data);
    }
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(data, { binary: this.serializer.binary });
  }

  /** Router shutdown: GOODBYE `wamp.close.system_shutdown` if joined, then a close frame (1001). */
  shutdown(): void {
    if (this.closing) return;
    this.closing = true;
    if (this.joined !== undefined) this.send([MSG.GOODBYE, { message: 'router shutting down' }, URI.systemShutdown]);
    this.detach();
    this.ws.close(1001, 'router shutting down');
  }

  private onFrame(data: RawData, _isBinary: boolean): void {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data;
    let msg: unknown[];
    try {
      msg = this.serializer.decode(bytes, { lossless: true });
    } catch (err) {
      if (!(err instanceof WampCodecError)) throw err;
      return this.abort(new ProtocolViolationError(`invalid ${this.serializer.id} frame: ${err.message}`, { cause: err }));
    }
    try {
      this.dispatch(msg);
    } catch (err) {
      if (!(err instanceof ProtocolViolationError)) throw err;
      this.abort(err);
    }
  }

  private dispatch(msg: unknown[]): void {
    const type = msg[0];
    if (typeof type !== 'number') throw new ProtocolViolationError('WAMP message type must be an integer');
    const f = new Fields(msg, NAMES[type] ?? `message type ${type}`);
    if (this.joined === undefined) return this.beforeJoin(type, f);
    const realm = this.joined;
    switch (type) {
      case MSG.GOODBYE: return this.onGoodbye();
      case MSG.ABORT: return this.closeTransport();
      case MSG.CALL: f.arity(4, 6);
        return realm.dealer.call(this, { request: f.id(1), options: f.dict(2), procedure: f.uri(3), args: f.args(4), kwargs: f.kwargs(5) });
      case MSG.YIELD: f.arity(3, 5);
        return realm.dealer.yield(this, f.id(1), f.dict(2), f.args(3), f.kwargs(4));
      case MSG.ERROR: f.arity(5, 7);
        if (f.id(1) !== MSG.INVOCATION) throw new ProtocolViolationError('ERROR is only valid for INVOCATION');
        return realm.dealer.invocationError(this, f.id(2), f.dict(3), f.uri(4), f.args(5), f.kwargs(6));
      case MSG.REGISTER: f.arity(4, 4);
        return realm.dealer.register(this, f.id(1), f.dict(2), f.uri(3));
      case MSG.UNREGISTER: f.arity(3, 3);
        return realm.dealer.unregister(this, f.id(1), f.id(2));
      case MSG.CANCEL: f.arity(3, 3);
        return realm.dealer.cancel(this, f.id(1), f.dict(2));
      case MSG.PUBLISH: f.arity(4, 6);
        return realm.broker.publish(this, { request: f.id(1), options: f.dict(2), topic: f.uri(3), args: f.args(4), kwargs: f.kwargs(5) });
      case MSG.SUBSCRIBE: f.arity(4, 4);
        return realm.broker.subscribe(this, f.id(1), f.dict(2), f.uri(3));
      case MSG.UNSUBSCRIBE: f.arity(3, 3);
        return realm.broker.unsubscribe(this, f.id(1), f.id(2));
      default:
        throw new ProtocolViolationError(`unexpected message ${f.name} in an open session`);
    }
  }

  private beforeJoin(type: number, f: Fields): void {
    if (type === MSG.GOODBYE || type === MSG.ABORT) return this.closeTransport();
    if (type !== MSG.HELLO) throw new ProtocolViolationError(`${f.name} received before HELLO`);
    f.arity(3, 3);
    const realmName = f.uri(1);
    const details = f.dict(2);
    const realm = this.host.realm(realmName);
    if (realm === undefined) {
      this.send([MSG.ABORT, { message: `no realm "${realmName}" exists on this router` }, URI.noSuchRealm]);
      return this.closeTransport();
    }
    this.onHello(realm, details);
  }

  /** [WELCOME, Session|id, Details|dict] with anonymous auth (ocs-protocol.md 1.1, 3.3). */
  private onHello(realm: Realm, details: Dict): void {
    const roles = isDict(details.roles) ? details.roles : {};
    const callee = isDict(roles.callee) && isDict(roles.callee.features) ? roles.callee.features : {};
    this.acceptsInterrupt = callee.call_canceling === true;
    this.id = this.host.newSessionId();
    this.realm = realm.name;
    this.authid = anonymousAuthid();
    this.joined = realm;
    realm.join(this);
    this.host.counters.sessions++;
    this.host.counters.sessionsTotal++;
    this.log.info({ session: this.id, realm: realm.name, serializer: this.serializer.id }, 'session joined');
    this.send([
      MSG.WELCOME,
      this.id,
      { realm: realm.name, authid: this.authid, authrole: this.authrole, authmethod: 'anonymous', authprovider: 'static', roles: ROUTER_ROLES },
    ]);
  }

  /** Client GOODBYE: answer `wamp.close.goodbye_and_out`, clean up; the transport stays usable. */
  private onGoodbye(): void {
    this.send([MSG.GOODBYE, {}, URI.goodbyeAndOut]);
    this.detach();
  }

  private detach(): void {
    const realm = this.joined;
    if (realm === undefined) return;
    this.joined = undefined;
    realm.leave(this);
    this.host.releaseSessionId(this.id);
    this.host.counters.sessions--;
    this.log.info({ session: this.id, realm: realm.name }, 'session left');
  }

  private abort(err: ProtocolViolationError): void {
    this.host.counters.protocolErrors++;
    this.log.warn({ err, session: this.id }, 'protocol violation, aborting session');
    this.send([MSG.ABORT, { message: err.message }, URI.protocolViolation]);
    this.detach();
    this.closeTransport();
  }

  private closeTransport(): void {
    this.detach();
    this.ws.close(1000);
  }
}
