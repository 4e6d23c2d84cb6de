/**
 * What the dealer and broker of one realm share: the realm name, the authorization rule,
 * counters and the logger.
 */
import type { Logger } from 'pino';
import type { Peer } from './peer.js';
import type { Action } from './uri.js';
import type { RouterCounters } from './counters.js';

/** Shared services of one realm. */
export interface RealmContext {
  readonly name: string;
  /** True when `peer` may perform `action` on `uri` (ocs-protocol.md 3.3 permissions). */
  authorize(peer: Peer, action: Action, uri: string): boolean;
  readonly counters: RouterCounters;
  readonly log: Logger;
}
