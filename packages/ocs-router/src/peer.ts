/**
 * The router's view of one joined WAMP session, whatever carries it (a WebSocket or the
 * in-process HTTP caller bridge).
 */

/** Roles of the OCS crossbar configuration (ocs-protocol.md 3.3). */
export type AuthRole = 'iocs_agent' | 'iocs_controller';

/** A joined session. */
export interface Peer {
  /** WAMP session id, random in [1, 2^53]. */
  readonly id: number;
  /** Realm name the session joined. */
  readonly realm: string;
  readonly authid: string;
  readonly authrole: AuthRole;
  /** True when the peer announced `roles.callee.features.call_canceling` (it understands INTERRUPT). */
  readonly acceptsInterrupt: boolean;
  /**
   * Delivers a WAMP message to the peer. Throws `WampCodecError` (`WAMP_ERR_ENCODE`) when a
   * value cannot be encoded with the peer's serializer (e.g. a bigint beyond 64 bits to msgpack).
   * `frames` (optional) caches encoded frames by serializer id, so one EVENT sent to many
   * subscribers is encoded once per serializer.
   */
  send(msg: unknown[], frames?: Map<string, string | Uint8Array>): void;
}
