/**
 * One realm: its joined sessions, dealer and broker, and the authorization rule of the OCS
 * crossbar config (ocs-protocol.md 3.3): roles `iocs_agent` and `iocs_controller` may call,
 * publish and subscribe on URIs starting with `<address_root>.`; only `iocs_agent` may register.
 */
import type { Logger } from 'pino';
import { Broker } from './broker.js';
import type { RouterCounters } from './counters.js';
import { Dealer } from './dealer.js';
import type { Peer } from './peer.js';
import type { RealmContext } from './realm-context.js';
import type { Action } from './uri.js';

/** Authorization settings shared by all realms. */
export interface AuthorizationRule {
  /** URIs must start with `${addressRoot}.` unless `allowAll`. */
  readonly addressRoot: string;
  /** Allow every URI (still no REGISTER for `iocs_controller`). */
  readonly allowAll: boolean;
}

/** A realm with its dealer and broker. */
export class Realm implements RealmContext {
  readonly dealer: Dealer;
  readonly broker: Broker;
  readonly sessions = new Map<number, Peer>();
  private readonly prefix: string;

  constructor(
    readonly name: string,
    private readonly rule: AuthorizationRule,
    readonly counters: RouterCounters,
    readonly log: Logger,
  ) {
    this.prefix = `${rule.addressRoot}.`;
    this.dealer = new Dealer(this);
    this.broker = new Broker(this);
  }

  authorize(peer: Peer, action: Action, uri: string): boolean {
    if (action === 'register' && peer.authrole === 'iocs_controller') return false;
    return this.rule.allowAll || uri.startsWith(this.prefix);
  }

  /** Adds a joined session. */
  join(peer: Peer): void {
    this.sessions.set(peer.id, peer);
  }

  /** Removes a session and everything it owned (GOODBYE or dropped transport). */
  leave(peer: Peer): void {
    if (!this.sessions.delete(peer.id)) return;
    this.dealer.detach(peer);
    this.broker.detach(peer);
  }
}
