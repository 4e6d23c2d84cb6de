/**
 * Shapes the client receives from an agent: the ops reply triple (ocs-protocol.md §2.3), the
 * encoded session (§2.4) and the `get_api` dict (§2.1), with runtime validation.
 */
import { z } from 'zod';
import { OpCode, ResponseCode } from '../agent/op-codes.js';
import { ReplyShapeError } from './errors.js';

export { OpCode, ResponseCode };

/** Name of a response code (`OK`, `ERROR`, `TIMEOUT`), or `???` like Python's OCSReply repr. */
export function responseCodeName(code: number): string {
  return Object.entries(ResponseCode).find(([, v]) => v === code)?.[0] ?? '???';
}

/** Name of an op code (`RUNNING`, `SUCCEEDED`, ...), or `UNKNOWN(<n>)`. */
export function opCodeName(code: number): string {
  return Object.entries(OpCode).find(([, v]) => v === code)?.[0] ?? `UNKNOWN(${code})`;
}

const sessionSchema = z.looseObject({
  session_id: z.number(),
  op_name: z.string(),
  op_code: z.number(),
  status: z.string(),
  success: z.boolean().nullable().optional(),
  start_time: z.number(),
  end_time: z.number().nullable().optional(),
  data: z.unknown().optional(),
  messages: z.array(z.tuple([z.number(), z.string()])).optional(),
});

/**
 * An encoded OpSession (ocs-protocol.md §2.4). Times are ctime (seconds since the Unix epoch).
 * Unknown keys are kept.
 */
export interface ReplySession {
  session_id: number;
  op_name: string;
  op_code: number;
  cred_level?: number;
  status: 'starting' | 'running' | 'stopping' | 'done' | (string & {});
  degraded?: boolean;
  success?: boolean | null;
  start_time: number;
  end_time?: number | null;
  data?: unknown;
  messages?: [number, string][];
  [key: string]: unknown;
}

/**
 * One ops reply, Python `ocs.ocs_client.OCSReply(status, msg, session)`.
 * `session` is `{}` when the reply has no session.
 */
export interface OCSReply {
  /** A {@link ResponseCode} value: 0 OK, -1 ERROR, 1 TIMEOUT. */
  status: number;
  /** Human-readable message; exact texts in ocs-protocol.md §2.5. */
  msg: string;
  /** The encoded session, or `{}`. */
  session: ReplySession | Record<string, never>;
}

/** True when the reply carries a session (i.e. `session` is not `{}`). */
export function hasSession(reply: OCSReply): reply is OCSReply & { session: ReplySession } {
  return 'session_id' in reply.session;
}

/** Validate the `[status, msg, session]` triple of an ops reply (ocs-protocol.md §2.3). */
export function parseOpsReply(value: unknown): OCSReply {
  if (!Array.isArray(value) || value.length !== 3) {
    throw new ReplyShapeError('ops reply', 'expected [status, msg, session]', value);
  }
  const [status, msg, session] = value as [unknown, unknown, unknown];
  if (typeof status !== 'number' || typeof msg !== 'string' || session === null || typeof session !== 'object') {
    throw new ReplyShapeError('ops reply', 'expected [number, string, object]', value);
  }
  if (Object.keys(session).length === 0) return { status, msg, session: {} };
  const parsed = sessionSchema.safeParse(session);
  if (!parsed.success) throw new ReplyShapeError('session', parsed.error.message, session);
  return { status, msg, session: parsed.data as ReplySession };
}

const opInfoSchema = z.looseObject({
  op_type: z.enum(['task', 'process']),
  blocking: z.boolean().optional(),
  abortable: z.boolean().optional(),
  // Python's OCSClient reads encoded['docstring'] and raises KeyError when it is missing.
  docstring: z.string().nullable(),
  min_privs: z.number().optional(),
});

const opEntrySchema = z.tuple([z.string(), z.looseObject({ op_name: z.string(), status: z.string() }), opInfoSchema]);

const feedInfoSchema = z.looseObject({
  agent_address: z.string(),
  agg_params: z.record(z.string(), z.unknown()),
  feed_name: z.string(),
  address: z.string(),
  record: z.boolean(),
  session_id: z.string(),
  agent_class: z.string().nullable(),
});

const apiSchema = z.looseObject({
  agent_class: z.string().nullable(),
  instance_hostname: z.string().optional(),
  instance_pid: z.number().optional(),
  feeds: z.array(z.tuple([z.string(), feedInfoSchema])),
  processes: z.array(opEntrySchema),
  tasks: z.array(opEntrySchema),
  access_control: z.looseObject({ version: z.number(), policy: z.string() }).nullable().optional(),
});

/** `op_info` of a task or process in `get_api` (ocs-protocol.md §2.1). */
export type ApiOpInfo = z.infer<typeof opInfoSchema>;
/** `feed_info` of a feed (ocs-protocol.md §4.2). */
export type ApiFeedInfo = z.infer<typeof feedInfoSchema>;
/** One `[name, session, op_info]` entry; `session` is `{op_name, status: "no_history"}` or a full session. */
export type ApiOpEntry = [name: string, session: ReplySession | { op_name: string; status: 'no_history' }, info: ApiOpInfo];
/** The `get_api` dict (ocs-protocol.md §2.1). */
export interface AgentApi {
  agent_class: string | null;
  instance_hostname?: string;
  instance_pid?: number;
  feeds: [name: string, info: ApiFeedInfo][];
  processes: ApiOpEntry[];
  tasks: ApiOpEntry[];
  /** Absent or null on agents older than ocs v0.12.0; then no password is sent. */
  access_control?: { version: number; policy: string; [key: string]: unknown } | null;
  [key: string]: unknown;
}

/** Validate a `get_api` result (ocs-protocol.md §2.1). */
export function parseAgentApi(value: unknown): AgentApi {
  const parsed = apiSchema.safeParse(value);
  if (!parsed.success) throw new ReplyShapeError('get_api result', parsed.error.message, value);
  return parsed.data as AgentApi;
}
