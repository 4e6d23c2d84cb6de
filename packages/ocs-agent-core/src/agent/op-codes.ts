/**
 * Numeric codes of the OCS protocol (ocs-protocol.md 2.3): `ResponseCode` for ops replies and
 * `OpCode` for sessions and heartbeats.
 */

/** Ops reply status (`ocs.base.ResponseCode`). */
export const ResponseCode = { OK: 0, ERROR: -1, TIMEOUT: 1 } as const;
/** One of the {@link ResponseCode} values. */
export type ResponseCodeValue = (typeof ResponseCode)[keyof typeof ResponseCode];

/** Session/heartbeat op code (`ocs.base.OpCode`). */
export const OpCode = {
  NONE: 1,
  STARTING: 2,
  RUNNING: 3,
  STOPPING: 4,
  SUCCEEDED: 5,
  FAILED: 6,
  EXPIRED: 7,
  DEGRADED: 8,
} as const;
/** One of the {@link OpCode} values. */
export type OpCodeValue = (typeof OpCode)[keyof typeof OpCode];

/** Session status values in their allowed forward order (`SESSION_STATUS_CODES`). */
export const SESSION_STATUSES = ['starting', 'running', 'stopping', 'done'] as const;
/** A session status. */
export type SessionStatus = (typeof SESSION_STATUSES)[number];
