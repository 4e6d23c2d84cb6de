/**
 * One run of an op: the `OpSession` of ocs-protocol.md 2.4 (fields, message log, purge policy,
 * data sanitisation) and its encoding for replies.
 */
import { float, isWampFloat, type WampFloat } from '@smurf-ocs/wamp-codec';
import type { Logger } from 'pino';
import { OCS_ERROR_CODES, SessionError } from '../errors.js';
import { OpCode, SESSION_STATUSES, type OpCodeValue, type SessionStatus } from './op-codes.js';

/** Encoded session as sent on the wire (field order matters; ocs-protocol.md 2.4). */
export interface EncodedSession {
  session_id: number;
  op_name: string;
  op_code: OpCodeValue;
  cred_level: number;
  status: SessionStatus;
  degraded: boolean;
  success: unknown;
  /** ctime (s), always a float on the wire. */
  start_time: WampFloat;
  end_time: WampFloat | null;
  data: unknown;
  messages: [WampFloat, string][];
}

/** The op-facing view of a session (what `ctx.session` exposes). */
export interface OpSessionView {
  /** Per-agent-process counter value, from 0. */
  readonly sessionId: number;
  /** Op name. */
  readonly opName: string;
  /** Current status. */
  readonly status: SessionStatus;
  /** Op-defined data, sent as `session.data` (NaN -> null at encode time; ±Infinity is an error). */
  data: Record<string, unknown>;
  /** Degraded flag (op code 8 while running). */
  degraded: boolean;
  /** Move the status forward (`running` or `stopping`); same status again is a no-op. */
  setStatus(status: 'running' | 'stopping'): void;
  /** Append a free-text message (also logged as `<op_name>:<session_id> <text>`). */
  addMessage(text: string): void;
}

const PURGE_INTERVAL_S = Math.max(3600 / 5, 600);
const PURGE_MAX_MESSAGES = 10000;
const PURGE_MIN_MESSAGES = 5;
const PURGE_MAX_AGE_S = 3600;

/** Current ctime in seconds (float). */
export function nowSeconds(): number {
  return (performance.timeOrigin + performance.now()) / 1000;
}

/** Session state machine; created by the agent on an accepted `start`. */
export class OpSession implements OpSessionView {
  readonly sessionId: number;
  readonly opName: string;
  readonly credLevel: number;
  readonly startTime: number;
  status: SessionStatus = 'starting';
  degraded = false;
  success: unknown = null;
  endTime: number | null = null;
  data: Record<string, unknown> = {};
  readonly messages: [number, string][] = [];
  private lastPurge = 0;
  private readonly log: Logger;
  private readonly doneWaiters: (() => void)[] = [];

  constructor(opts: { sessionId: number; opName: string; credLevel: number; log: Logger }) {
    this.sessionId = opts.sessionId;
    this.opName = opts.opName;
    this.credLevel = opts.credLevel;
    this.log = opts.log;
    this.startTime = nowSeconds();
    this.addMessage('Status is now "starting".', this.startTime);
    this.purgeLog();
  }

  /** Op code derived from status/success/degraded (ocs-protocol.md 2.3). */
  get opCode(): OpCodeValue {
    switch (this.status) {
      case 'starting':
        return OpCode.STARTING;
      case 'running':
        return this.degraded ? OpCode.DEGRADED : OpCode.RUNNING;
      case 'stopping':
        return OpCode.STOPPING;
      case 'done':
        return this.success ? OpCode.SUCCEEDED : OpCode.FAILED;
    }
  }

  /** True once the session reached `done`. */
  get isDone(): boolean {
    return this.status === 'done';
  }

  /**
   * Move forward to `status`. Moving backwards throws {@link SessionError} (a crash of the op in
   * Python); the same status again is a no-op.
   */
  setStatus(status: SessionStatus, at: number = nowSeconds()): void {
    if (status === this.status) return;
    const from = SESSION_STATUSES.indexOf(this.status);
    const to = SESSION_STATUSES.indexOf(status);
    if (to < from) {
      throw new SessionError(OCS_ERROR_CODES.sessionStatus, `Session status cannot go from "${this.status}" to "${status}"`);
    }
    this.status = status;
    this.addMessage(`Status is now "${status}".`, at);
  }

  /** Append a message with its ctime; also logged as `<op_name>:<session_id> <text>`. */
  addMessage(text: string, at: number = nowSeconds()): void {
    this.messages.push([at, text]);
    this.log.info(`${this.opName}:${this.sessionId} ${text}`);
    if (at - this.lastPurge >= PURGE_INTERVAL_S) this.purgeLog(at);
  }

  /** Record the op's outcome: append `message`, set success, `done`, end_time. */
  finish(success: unknown, message: string): void {
    const now = nowSeconds();
    this.addMessage(message, now);
    this.success = success;
    this.endTime = now;
    this.status = 'done';
    this.addMessage('Status is now "done".', now);
    for (const w of this.doneWaiters.splice(0)) w();
  }

  /** Resolves when the session is done (immediately if it already is). */
  whenDone(): Promise<void> {
    if (this.isDone) return Promise.resolve();
    return new Promise((resolve) => this.doneWaiters.push(resolve));
  }

  /** Drop old messages (ocs-protocol.md 2.4 purge policy). */
  purgeLog(at: number = nowSeconds()): void {
    this.lastPurge = at;
    const m = this.messages;
    while (m.length > PURGE_MAX_MESSAGES || (m.length > PURGE_MIN_MESSAGES && at - (m[0]?.[0] ?? at) > PURGE_MAX_AGE_S)) {
      m.shift();
    }
  }

  /**
   * Wire encoding with Python field order. Throws {@link SessionError} when `data` holds
   * ±Infinity (Python raises ValueError, failing the whole call).
   */
  encode(): EncodedSession {
    return {
      session_id: this.sessionId,
      op_name: this.opName,
      op_code: this.opCode,
      cred_level: this.credLevel,
      status: this.status,
      degraded: this.degraded,
      success: this.success,
      start_time: float(this.startTime),
      end_time: this.endTime === null ? null : float(this.endTime),
      data: jsonSafe(this.data),
      messages: this.messages.map(([t, text]) => [float(t), text]),
    };
  }
}

/** NaN -> null recursively; ±Infinity throws (ocs-protocol.md 2.4 `json_safe`). */
export function jsonSafe(v: unknown): unknown {
  if (isWampFloat(v)) return Number.isFinite(v.value) ? v : jsonSafe(v.value);
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return null;
    if (!Number.isFinite(v)) {
      throw new SessionError(OCS_ERROR_CODES.sessionData, 'Session.data cannot store inf/-inf; please convert to NaN.');
    }
    return v;
  }
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>, jsonSafe);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = jsonSafe(x);
    return out;
  }
  if (typeof v === 'function' || typeof v === 'symbol') {
    throw new SessionError(OCS_ERROR_CODES.sessionData, `Object of type ${typeof v} is not JSON serializable`);
  }
  return v;
}
