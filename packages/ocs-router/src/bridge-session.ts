/**
 * The in-process session the HTTP caller bridge calls through (ocs-protocol.md 3.2-3.3): role
 * `iocs_controller` (may call, never register), no WebSocket. The dealer delivers RESULT/ERROR
 * to {@link BridgeSession.send}, which settles the waiting HTTP request.
 */
import { IdSequence, randomId } from './ids.js';
import type { AuthRole, Peer } from './peer.js';
import type { Realm } from './realm.js';
import { type Dict, MSG } from './wamp-messages.js';

/** Outcome of a bridge call: the RESULT or ERROR message the dealer produced. */
export type BridgeOutcome =
  | { readonly kind: 'result'; readonly args: unknown[] | undefined; readonly kwargs: Dict | undefined }
  | { readonly kind: 'error'; readonly uri: string; readonly args: unknown[] | undefined; readonly kwargs: Dict | undefined };

/** The caller bridge's session in one realm. */
export class BridgeSession implements Peer {
  readonly id = randomId();
  readonly authid = 'ocs-router-http-bridge';
  readonly authrole: AuthRole = 'iocs_controller';
  readonly acceptsInterrupt = false;
  private readonly requests = new IdSequence();
  private readonly pending = new Map<number, (o: BridgeOutcome) => void>();

  constructor(private readonly target: Realm) {}

  get realm(): string {
    return this.target.name;
  }

  /** Issues CALL `procedure(*args, **kwargs)`; resolves with the outcome (no call timeout, as crossbar). */
  call(procedure: string, args: unknown[], kwargs: Dict, signal?: AbortSignal): Promise<BridgeOutcome> {
    const request = this.requests.take();
    return new Promise<BridgeOutcome>((resolve) => {
      this.pending.set(request, resolve);
      signal?.addEventListener('abort', () => this.target.dealer.cancel(this, request, { mode: 'killnowait' }), { once: true });
      this.target.dealer.call(this, { request, options: {}, procedure, args, kwargs });
    });
  }

  send(msg: unknown[]): void {
    // [RESULT, CALL.Request|id, Details|dict, Arguments?, ArgumentsKw?]
    // [ERROR, CALL, CALL.Request|id, Details|dict, Error|uri, Arguments?, ArgumentsKw?]
    const isResult = msg[0] === MSG.RESULT;
    const request = (isResult ? msg[1] : msg[2]) as number;
    const resolve = this.pending.get(request);
    if (resolve === undefined) return;
    if (isResult && (msg[2] as Dict).progress === true) return;
    this.pending.delete(request);
    if (isResult) resolve({ kind: 'result', args: msg[3] as unknown[] | undefined, kwargs: msg[4] as Dict | undefined });
    else resolve({ kind: 'error', uri: msg[4] as string, args: msg[5] as unknown[] | undefined, kwargs: msg[6] as Dict | undefined });
  }

  /** Fails every waiting request with `canceled` (router shutdown). */
  cancelAll(): void {
    for (const [request, resolve] of this.pending) {
      this.pending.delete(request);
      resolve({ kind: 'error', uri: 'wamp.error.canceled', args: ['router shutting down'], kwargs: undefined });
    }
  }
}
