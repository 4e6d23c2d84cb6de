/**
 * Router options with their defaults (the OCS crossbar config, ocs-protocol.md 1.1 and 3.3).
 */
import type { Logger } from 'pino';
import { RouterConfigError } from './errors.js';

/** Options of {@link startRouter}. Every field is optional. */
export interface RouterOptions {
  /** TCP port; 0 picks an ephemeral port. Default 8001 (crossbar's `OCS_PORT` default). */
  port?: number;
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Realms sessions may join. Default `['test_realm']`. */
  realms?: string[];
  /** Realm of the HTTP caller bridge. Default: the first of `realms`. */
  bridgeRealm?: string;
  /** URIs must start with `<addressRoot>.` (call/register/publish/subscribe). Default `observatory`. */
  addressRoot?: string;
  /** Allow any URI instead of the `<addressRoot>.` prefix (the bridge still cannot register). Default false. */
  allowAll?: boolean;
  /** WebSocket path. Default `/ws`. */
  wsPath?: string;
  /** HTTP caller bridge path. Default `/call`. */
  callPath?: string;
  /** WebSocket ping interval in ms (crossbar `auto_ping_interval`). Default 10000; 0 disables pings. */
  pingIntervalMs?: number;
  /** Pong deadline in ms after a ping (crossbar `auto_ping_timeout`); the peer is dropped after it. Default 5000. */
  pingTimeoutMs?: number;
  /** Largest WebSocket message and HTTP body in bytes. Default 16 MiB. */
  maxMessageBytes?: number;
  /** Grace period in ms for peers to close after GOODBYE on {@link Router.close}. Default 1000. */
  closeTimeoutMs?: number;
  /** pino logger; default: a pino logger at `LOGLEVEL` (default `warn`) named `ocs-router`. */
  logger?: Logger;
}

/** Options with defaults applied. */
export type ResolvedRouterOptions = Required<Omit<RouterOptions, 'logger'>>;

/**
 * Applies defaults and validates.
 * @throws {RouterConfigError} on a bad port, empty realm list, unknown bridge realm or bad address root.
 */
export function resolveOptions(o: RouterOptions): ResolvedRouterOptions {
  const realms = o.realms ?? ['test_realm'];
  const r: ResolvedRouterOptions = {
    port: o.port ?? 8001,
    host: o.host ?? '127.0.0.1',
    realms,
    bridgeRealm: o.bridgeRealm ?? realms[0] ?? '',
    addressRoot: o.addressRoot ?? 'observatory',
    allowAll: o.allowAll ?? false,
    wsPath: o.wsPath ?? '/ws',
    callPath: o.callPath ?? '/call',
    pingIntervalMs: o.pingIntervalMs ?? 10_000,
    pingTimeoutMs: o.pingTimeoutMs ?? 5_000,
    maxMessageBytes: o.maxMessageBytes ?? 16 * 1024 * 1024,
    closeTimeoutMs: o.closeTimeoutMs ?? 1_000,
  };
  if (!Number.isInteger(r.port) || r.port < 0 || r.port > 65535) throw new RouterConfigError(`port must be an integer in 0..65535, got ${r.port}`);
  if (realms.length === 0 || realms.some((x) => x.length === 0)) throw new RouterConfigError('realms must be a non-empty list of non-empty names');
  if (!realms.includes(r.bridgeRealm)) throw new RouterConfigError(`bridgeRealm "${r.bridgeRealm}" is not one of realms`);
  if (!r.allowAll && (r.addressRoot.length === 0 || /[\s#]/.test(r.addressRoot))) {
    throw new RouterConfigError(`addressRoot must be a non-empty URI prefix, got "${r.addressRoot}"`);
  }
  for (const k of ['pingIntervalMs', 'pingTimeoutMs', 'maxMessageBytes', 'closeTimeoutMs'] as const) {
    if (!Number.isFinite(r[k]) || r[k] < 0) throw new RouterConfigError(`${k} must be a non-negative number`);
  }
  return r;
}
