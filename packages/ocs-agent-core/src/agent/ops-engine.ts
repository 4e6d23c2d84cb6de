/**
 * The op state machine behind `R.I.ops` (ocs-protocol.md 2.2-2.6): start/stop/abort/wait/status
 * with the exact Python reply strings and quirks Q1-Q8, Q10.
 */
import type { Logger } from 'pino';
import { z } from 'zod';
import { DefinitionError, ParamError } from '../errors.js';
import { AccessController, SUPERUSER } from './access.js';
import { ResponseCode } from './op-codes.js';
import { OpSession, type EncodedSession } from './op-session.js';
import { wireText } from './wire-text.js';
import { paramSpecFromZod, prescreenParams, unwrapFloats, type ParamSpec } from './params.js';
import type { AgentHandle, OpDef, OpParams, OpResult } from './types.js';

/** Ops reply `[code, message, session]` as sent. */
export type OpsReply = [number, string, EncodedSession | Record<string, never>];

/** Password as seen by the engine: a string, none, or the internal superuser key. */
export type Credential = string | typeof SUPERUSER | undefined;

interface OpEntry {
  name: string;
  def: OpDef<unknown, unknown>;
  spec: ParamSpec | null;
  session: OpSession | null;
  controller: AbortController | null;
}

function toSpec(p: OpParams | undefined): ParamSpec | null {
  if (p === undefined) return null;
  if (p instanceof z.ZodObject) return paramSpecFromZod(p);
  if ('decls' in p && typeof p.decls === 'object' && p.decls !== null && !('type' in p.decls)) return p as ParamSpec;
  return { decls: p as ParamSpec['decls'] };
}

/** Python-like `str(Failure)` for a crashed op. */
function failureText(err: unknown): string {
  const e = err instanceof Error ? err : new Error(String(err));
  return `[Failure instance: Traceback: <class '${e.name}'>: ${e.message}]`;
}

/** Holds the ops of one agent and their sessions. */
export class OpsEngine {
  private readonly ops = new Map<string, OpEntry>();
  private nextSessionId = 0;

  constructor(
    private readonly access: AccessController,
    private readonly log: Logger,
    private readonly handle: () => AgentHandle<unknown, unknown>,
  ) {}

  /** Register an op (registration order = heartbeat order). */
  add(name: string, def: OpDef<unknown, unknown>): void {
    if (this.ops.has(name)) throw new DefinitionError(`Op ${name} registered twice`);
    this.ops.set(name, { name, def, spec: toSpec(def.params), session: null, controller: null });
  }

  /** Op names in registration order. */
  names(): string[] {
    return [...this.ops.keys()];
  }

  /** Heartbeat payload `{op_name: op_code}` (1 = NONE for ops without session). */
  opCodes(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [name, e] of this.ops) out[name] = e.session ? e.session.opCode : 1;
    return out;
  }

  /** `[name, session|no_history, op_info]` triples of one kind, sorted by name (get_tasks/get_processes). */
  listing(kind: 'task' | 'process'): [string, unknown, Record<string, unknown>][] {
    const entries = [...this.ops.values()].filter((e) => e.def.kind === kind);
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return entries.map((e) => [e.name, e.session ? e.session.encode() : { op_name: e.name, status: 'no_history' }, this.opInfo(e)]);
  }

  private opInfo(e: OpEntry): Record<string, unknown> {
    const minPrivs = Math.max(1, e.def.minPrivs ?? 0);
    const blocking = e.def.blocking ?? true;
    const docstring = e.def.docstring ?? null;
    if (e.def.kind === 'task') return { blocking, abortable: e.def.abort !== undefined, docstring, op_type: 'task', min_privs: minPrivs };
    return { blocking, docstring, op_type: 'process', min_privs: minPrivs };
  }

  /** Ops in registration order whose `startup` is set, with their params. */
  startupOps(): [string, Record<string, unknown>][] {
    return [...this.ops.values()]
      .filter((e) => e.def.startup !== undefined && e.def.startup !== false)
      .map((e) => [e.name, e.def.startup === true ? {} : (e.def.startup as Record<string, unknown>)]);
  }

  /** `start` (2.5). */
  start(name: string, rawParams: unknown, cred: Credential): OpsReply {
    const e = this.ops.get(name);
    if (!e) return [ResponseCode.ERROR, `No task or process called "${name}"`, {}];
    if (e.session) {
      if (!e.session.isDone) return [ResponseCode.ERROR, `Operation "${name}" already in progress.`, e.session.encode()];
      e.session = null; // Q3
    }
    const { level, detail } = this.access.creds(cred);
    const minPrivs = Math.max(1, e.def.minPrivs ?? 0);
    if (level < minPrivs) return [ResponseCode.ERROR, this.access.rejection(minPrivs, level, detail), {}];
    let params: unknown;
    try {
      params = e.spec ? prescreenParams(e.spec, rawParams) : unwrapFloats(rawParams);
    } catch (err) {
      if (err instanceof ParamError) return [ResponseCode.ERROR, err.message, {}];
      return [ResponseCode.ERROR, `CRASH: during param pre-processing: ${(err as Error).message}`, {}];
    }
    const session = new OpSession({ sessionId: this.nextSessionId++, opName: name, credLevel: level, log: this.log });
    e.session = session;
    const controller = new AbortController();
    e.controller = controller;
    setImmediate(() => void this.run(e, session, params, controller.signal));
    return [ResponseCode.OK, `Started ${e.def.kind} "${name}".`, session.encode()];
  }

  private async run(e: OpEntry, session: OpSession, params: unknown, signal: AbortSignal): Promise<void> {
    const log = this.log.child({ op: e.name, session_id: session.sessionId });
    this.log.info(`start called for ${e.name}`);
    if (session.status === 'starting') session.setStatus('running');
    let result: OpResult | unknown;
    try {
      result = await e.def.start({ params: params as Record<string, unknown>, session, signal, log, agent: this.handle(), sleep: (ms) => abortableSleep(ms, signal) });
    } catch (err) {
      if (err instanceof ParamError) session.finish(false, `ERROR: ${err.message}`);
      else {
        log.error({ err }, 'op crashed');
        session.finish(false, `CRASH: ${failureText(err)}`);
      }
      return;
    }
    if (!Array.isArray(result) || result.length !== 2) {
      session.finish(false, `CRASH: ${failureText(new TypeError(`op returned ${result === undefined ? 'undefined' : wireText(result)}, expected [ok, message]`))}`);
      return;
    }
    session.finish(result[0], String(result[1]));
  }

  /** `stop` / `abort` (2.5, Q2, Q5). */
  stop(action: 'stop' | 'abort', name: string, rawParams: unknown, cred: Credential): OpsReply {
    const e = this.ops.get(name);
    if (!e) return [ResponseCode.ERROR, `No operation called "${name}".`, {}];
    const wanted = action === 'stop' ? 'process' : 'task';
    if (e.def.kind !== wanted) return [ResponseCode.ERROR, `Cannot "${action}" "${name}" because it is a "{op_type}".`, {}];
    const level = this.access.credLevel(cred);
    const minPrivs = Math.max(1, e.def.minPrivs ?? 0);
    if (level < minPrivs) return [ResponseCode.ERROR, this.access.rejection(minPrivs, level, null), {}];
    const s = e.session;
    if (!s) return [ResponseCode.ERROR, 'No session active.', {}];
    if (s.status === 'stopping') return [ResponseCode.ERROR, 'The operation is already stopping', {}];
    if (s.status === 'done') return [ResponseCode.ERROR, 'The operation is already done', {}];
    this.log.info(`${action} called for ${name}`);
    this.invokeStopper(e, s, rawParams);
    return [ResponseCode.OK, `Requested ${action} on ${e.def.kind} ${name}".`, s.encode()];
  }

  private invokeStopper(e: OpEntry, s: OpSession, rawParams: unknown): void {
    const ctx = { params: unwrapFloats(rawParams), session: s, log: this.log.child({ op: e.name, session_id: s.sessionId }), agent: this.handle() };
    let fn: ((c: typeof ctx) => void | Promise<void>) | undefined;
    if (e.def.kind === 'process') fn = e.def.stop ? (c) => (e.def as { stop: (c: unknown) => void }).stop(c) : () => s.setStatus('stopping');
    else if (e.def.abort) fn = (c) => (e.def as { abort: (c: unknown) => void }).abort(c);
    if (!fn) return; // task without aborter: OK, nothing happens
    const invoke = (): void => {
      try {
        const r = fn(ctx);
        if (r instanceof Promise) r.catch((err: unknown) => this.log.error({ err, op: e.name }, 'stop/abort function failed'));
      } catch (err) {
        this.log.error({ err, op: e.name }, 'stop/abort function failed');
      }
      if (s === e.session) e.controller?.abort();
    };
    // Python runs the stopper of a blocking op in a worker thread, so the reply usually still
    // shows the old status; a non-blocking (reactor) stopper runs before the reply is encoded.
    if (e.def.blocking ?? true) setImmediate(invoke);
    else invoke();
  }

  /** `wait` (2.5, Q4). `timeout` in seconds or null. */
  async wait(name: string, timeout: number | null): Promise<OpsReply> {
    const e = this.ops.get(name);
    if (!e) return [ResponseCode.ERROR, `Unknown operation "${name}".`, {}];
    const s = e.session;
    if (!s) return [ResponseCode.OK, 'Idle.', {}];
    const done = (): OpsReply => [ResponseCode.OK, `Operation "${name}" is currently not running (${s.success === true || s.success === 1 ? 'SUCCEEDED' : 'FAILED'}).`, s.encode()];
    const timedOut = (): OpsReply => [ResponseCode.TIMEOUT, `Operation "${name}" still running; wait timed out.`, s.encode()];
    if (s.isDone || timeout === null) {
      await s.whenDone();
      return done();
    }
    if (timeout < 0) return timedOut();
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([s.whenDone().then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), timeout * 1000)))]);
    clearTimeout(timer);
    return finished ? done() : timedOut();
  }

  /** `status` (2.5, Q7). */
  status(name: string): OpsReply {
    const e = this.ops.get(name);
    if (!e) return [ResponseCode.ERROR, `No task or process called "${name}"`, {}];
    if (!e.session) return [ResponseCode.OK, 'No session active.', {}];
    return [ResponseCode.OK, 'Session active.', e.session.encode()];
  }

  /** Sessions that are neither stopping nor done. */
  activeOps(): { name: string; kind: 'task' | 'process' }[] {
    return [...this.ops.values()].filter((e) => e.session && e.session.status !== 'stopping' && !e.session.isDone).map((e) => ({ name: e.name, kind: e.def.kind }));
  }

  /** Resolves when every current session is done, or after `ms`. Returns true if all finished. */
  async allDone(ms: number): Promise<boolean> {
    const pending = [...this.ops.values()].flatMap((e) => (e.session && !e.session.isDone ? [e.session.whenDone()] : []));
    let timer: NodeJS.Timeout | undefined;
    const ok = await Promise.race([Promise.all(pending).then(() => true), new Promise<boolean>((r) => (timer = setTimeout(() => r(false), ms)))]);
    clearTimeout(timer);
    return ok;
  }

  /** Abort every op's signal (agent closing). */
  abortAll(): void {
    for (const e of this.ops.values()) e.controller?.abort();
  }
}

/** Sleep `ms`, resolving false early when `signal` aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
