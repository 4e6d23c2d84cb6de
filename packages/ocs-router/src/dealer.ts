/**
 * Dealer: exact-match registrations and call routing (WAMP spec "Remote Procedure Calls";
 * ocs-protocol.md 1.3, 3.2, 3.4). Error texts follow crossbar `router/dealer.py`.
 * Payloads (args/kwargs) pass through untouched; each peer's serializer re-encodes them.
 */
import { WampCodecError } from '@smurf-ocs/wamp-codec';
import { IdSequence, randomId } from './ids.js';
import type { Peer } from './peer.js';
import type { RealmContext } from './realm-context.js';
import { isValidUri, notAuthorizedText } from './uri.js';
import { MSG, URI, type Dict, withPayload } from './wamp-messages.js';

interface Registration {
  readonly id: number;
  readonly procedure: string;
  readonly callee: Peer;
}

interface PendingCall {
  readonly caller: Peer;
  readonly callRequest: number;
  readonly callee: Peer;
  readonly invocationId: number;
  readonly receiveProgress: boolean;
}

/** A parsed CALL. */
export interface CallRequest {
  readonly request: number;
  readonly options: Dict;
  readonly procedure: string;
  readonly args: unknown[] | undefined;
  readonly kwargs: Dict | undefined;
}

/** The dealer of one realm. */
export class Dealer {
  private readonly byProcedure = new Map<string, Registration>();
  private readonly byId = new Map<number, Registration>();
  /** In-flight calls keyed by callee session id, then invocation request id. */
  private readonly invocations = new Map<number, Map<number, PendingCall>>();
  /** In-flight calls keyed by caller session id, then CALL request id. */
  private readonly calls = new Map<number, Map<number, PendingCall>>();
  private readonly invocationIds = new IdSequence();

  constructor(private readonly ctx: RealmContext) {}

  /** REGISTER: exact match, single callee (ocs-protocol.md 1.3). */
  register(peer: Peer, request: number, options: Dict, procedure: string): void {
    const fail = (uri: string, text: string): void => peer.send([MSG.ERROR, MSG.REGISTER, request, {}, uri, [text]]);
    const match = options.match ?? 'exact';
    const invoke = options.invoke ?? 'single';
    if (match !== 'exact' || invoke !== 'single') {
      return fail(URI.invalidArgument, `ocs-router supports only exact, single registrations (got match=${String(match)}, invoke=${String(invoke)})`);
    }
    if (!isValidUri(procedure, 'exact')) return fail(URI.invalidUri, `register for invalid procedure URI '${procedure}'`);
    if (!this.ctx.authorize(peer, 'register', procedure)) {
      return fail(URI.notAuthorized, notAuthorizedText(peer, 'register', procedure, this.ctx.name));
    }
    if (this.byProcedure.has(procedure)) {
      return fail(URI.procedureAlreadyExists, `register for already registered procedure '${procedure}'`);
    }
    const reg: Registration = { id: randomId(this.byId), procedure, callee: peer };
    this.byProcedure.set(procedure, reg);
    this.byId.set(reg.id, reg);
    this.ctx.log.debug({ session: peer.id, procedure, registration: reg.id }, 'registered');
    peer.send([MSG.REGISTERED, request, reg.id]);
  }

  /** UNREGISTER by registration id; only the owner may unregister. */
  unregister(peer: Peer, request: number, registrationId: number): void {
    const reg = this.byId.get(registrationId);
    if (reg === undefined || reg.callee !== peer) {
      peer.send([MSG.ERROR, MSG.UNREGISTER, request, {}, URI.noSuchRegistration, []]);
      return;
    }
    this.drop(reg);
    peer.send([MSG.UNREGISTERED, request]);
  }

  /** CALL: authorize, find the callee, send INVOCATION (ocs-protocol.md 3.2 error texts). */
  call(caller: Peer, c: CallRequest): void {
    this.ctx.counters.calls++;
    if (!isValidUri(c.procedure, 'exact')) {
      return this.replyError(caller, c.request, URI.invalidUri, [`call with invalid procedure URI '${c.procedure}'`]);
    }
    if (!this.ctx.authorize(caller, 'call', c.procedure)) {
      return this.replyError(caller, c.request, URI.notAuthorized, [notAuthorizedText(caller, 'call', c.procedure, this.ctx.name)]);
    }
    const reg = this.byProcedure.get(c.procedure);
    if (reg === undefined) {
      return this.replyError(caller, c.request, URI.noSuchProcedure, [`no callee registered for procedure <${c.procedure}>`]);
    }
    const pending: PendingCall = {
      caller,
      callRequest: c.request,
      callee: reg.callee,
      invocationId: this.invocationIds.take(),
      receiveProgress: c.options.receive_progress === true,
    };
    // [INVOCATION, Request|id, REGISTERED.Registration|id, Details|dict, CALL.Arguments?, CALL.ArgumentsKw?]
    const details: Dict = pending.receiveProgress ? { receive_progress: true } : {};
    try {
      reg.callee.send(withPayload([MSG.INVOCATION, pending.invocationId, reg.id, details], c.args, c.kwargs));
    } catch (err) {
      return this.replyEncodeError(caller, c.request, err);
    }
    mapOf(this.invocations, reg.callee.id).set(pending.invocationId, pending);
    mapOf(this.calls, caller.id).set(c.request, pending);
  }

  /** YIELD from a callee -> RESULT to the caller. Unknown invocations (canceled) are ignored. */
  yield(callee: Peer, invocationId: number, options: Dict, args: unknown[] | undefined, kwargs: Dict | undefined): void {
    const pending = this.invocations.get(callee.id)?.get(invocationId);
    if (pending === undefined) return;
    const progress = options.progress === true;
    if (progress && !pending.receiveProgress) return;
    if (!progress) this.forget(pending);
    // [RESULT, CALL.Request|id, Details|dict, YIELD.Arguments?, YIELD.ArgumentsKw?]
    const msg = withPayload([MSG.RESULT, pending.callRequest, progress ? { progress: true } : {}], args, kwargs);
    try {
      pending.caller.send(msg);
    } catch (err) {
      this.replyEncodeError(pending.caller, pending.callRequest, err);
    }
  }

  /** ERROR from a callee for an INVOCATION -> ERROR to the caller, URI and payload untouched. */
  invocationError(callee: Peer, invocationId: number, details: Dict, uri: string, args: unknown[] | undefined, kwargs: Dict | undefined): void {
    const pending = this.invocations.get(callee.id)?.get(invocationId);
    if (pending === undefined) return;
    this.forget(pending);
    this.ctx.counters.callErrors++;
    try {
      pending.caller.send(withPayload([MSG.ERROR, MSG.CALL, pending.callRequest, details, uri], args, kwargs));
    } catch (err) {
      this.replyEncodeError(pending.caller, pending.callRequest, err);
    }
  }

  /** CANCEL from a caller: interrupt the callee (if it understands INTERRUPT) and answer `canceled` now. */
  cancel(caller: Peer, callRequest: number, options: Dict): void {
    const pending = this.calls.get(caller.id)?.get(callRequest);
    if (pending === undefined) return;
    this.forget(pending);
    const mode = options.mode === 'skip' ? undefined : 'killnowait';
    if (mode !== undefined) this.interrupt(pending, mode);
    this.replyError(caller, callRequest, URI.canceled, ['call canceled by caller']);
  }

  /**
   * Session cleanup (GOODBYE or dropped transport): remove its registrations, fail calls it was
   * serving with `canceled` (crossbar's text), and interrupt calls it was waiting for.
   */
  detach(peer: Peer): void {
    for (const reg of [...this.byProcedure.values()]) if (reg.callee === peer) this.drop(reg);
    for (const pending of [...(this.invocations.get(peer.id)?.values() ?? [])]) {
      this.forget(pending);
      this.replyError(pending.caller, pending.callRequest, URI.canceled, ['callee disconnected from in-flight request']);
    }
    for (const pending of [...(this.calls.get(peer.id)?.values() ?? [])]) {
      this.forget(pending);
      this.interrupt(pending, 'killnowait');
    }
    this.invocations.delete(peer.id);
    this.calls.delete(peer.id);
  }

  /** Number of registrations (diagnostics). */
  get size(): number {
    return this.byProcedure.size;
  }

  private drop(reg: Registration): void {
    this.byProcedure.delete(reg.procedure);
    this.byId.delete(reg.id);
    this.ctx.log.debug({ session: reg.callee.id, procedure: reg.procedure }, 'unregistered');
  }

  private forget(p: PendingCall): void {
    this.invocations.get(p.callee.id)?.delete(p.invocationId);
    this.calls.get(p.caller.id)?.delete(p.callRequest);
  }

  private interrupt(p: PendingCall, mode: string): void {
    if (!p.callee.acceptsInterrupt) return;
    try {
      p.callee.send([MSG.INTERRUPT, p.invocationId, { mode }]);
    } catch (err) {
      this.ctx.log.warn({ err, session: p.callee.id }, 'cannot send INTERRUPT');
    }
  }

  private replyError(caller: Peer, request: number, uri: string, args: unknown[]): void {
    this.ctx.counters.callErrors++;
    caller.send([MSG.ERROR, MSG.CALL, request, {}, uri, args]);
  }

  /** A payload that the caller's/callee's serializer cannot carry becomes `invalid_argument`. */
  private replyEncodeError(caller: Peer, request: number, err: unknown): void {
    if (!(err instanceof WampCodecError)) throw err;
    this.ctx.counters.encodeErrors++;
    this.ctx.log.warn({ err, session: caller.id }, 'call payload cannot be transcoded');
    this.replyError(caller, request, URI.invalidArgument, [`payload cannot be transcoded: ${err.message}`]);
  }
}

function mapOf<K, V>(outer: Map<number, Map<K, V>>, key: number): Map<K, V> {
  let m = outer.get(key);
  if (m === undefined) outer.set(key, (m = new Map()));
  return m;
}
