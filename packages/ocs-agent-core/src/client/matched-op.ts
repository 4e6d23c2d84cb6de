/**
 * Per-op client objects, the TypeScript form of Python's `MatchedTask`/`MatchedProcess`
 * (ocs-protocol.md §2.1 "How OCSClient builds its methods").
 */
import { ResponseCode, type OCSReply, type ApiOpInfo } from './reply.js';

/** The ops actions (ocs-protocol.md §2.5). */
export type OpAction = 'start' | 'wait' | 'status' | 'abort' | 'stop';

/** Arguments of one ops request, before the transport shapes them (ocs-protocol.md §2.2). */
export interface OpRequest {
  action: OpAction | (string & {});
  opName: string;
  /** Start params; other actions send none. */
  params?: unknown;
  /** Wait timeout in seconds; `null`/undefined = wait until the op is done. */
  timeout?: number | null;
}

/** Sends one ops request and returns the reply; provided by OCSClient. */
export type OpRequester = (request: OpRequest) => Promise<OCSReply>;

/** What tasks and processes share. */
abstract class MatchedOpBase {
  /** The op name as the agent registered it (the `ops` key has `-`/space replaced by `_`). */
  readonly name: string;
  /** `op_info` from `get_api`. */
  readonly info: ApiOpInfo;
  /** `op_info.docstring` (Python sets it as `start.__doc__`). */
  readonly docstring: string | null;
  protected readonly request: OpRequester;

  constructor(name: string, info: ApiOpInfo, request: OpRequester) {
    this.name = name;
    this.info = info;
    this.docstring = info.docstring;
    this.request = request;
  }

  /** Start the op with `params` (sent as the params dict; `{}` when omitted). */
  start(params: Record<string, unknown> = {}): Promise<OCSReply> {
    return this.request({ action: 'start', opName: this.name, params });
  }

  /**
   * Wait for the op to finish. `timeout` in seconds: undefined/null = no limit, `< 0` = return
   * immediately, otherwise up to that long; TIMEOUT (1) if still running (ocs-protocol.md §2.5).
   */
  wait(timeout?: number | null): Promise<OCSReply> {
    return this.request({ action: 'wait', opName: this.name, timeout: timeout ?? null });
  }

  /** Current session (OK `Session active.`), or OK `No session active.` with `{}`. */
  status(): Promise<OCSReply> {
    return this.request({ action: 'status', opName: this.name });
  }
}

/** A task: `start`, `wait`, `status`, `abort`, and `call` = start then wait. */
export class MatchedTask extends MatchedOpBase {
  readonly kind = 'task' as const;

  /** Request an abort (OK even for tasks without an aborter, depending on the agent). */
  abort(): Promise<OCSReply> {
    return this.request({ action: 'abort', opName: this.name });
  }

  /** Python `MatchedTask.__call__`: `start(params)`, then `wait()` with no timeout if start was OK. */
  async call(params: Record<string, unknown> = {}): Promise<OCSReply> {
    const started = await this.start(params);
    if (started.status !== ResponseCode.OK) return started;
    return this.wait();
  }
}

/** A process: `start`, `wait`, `status`, `stop`, and `call` = status. */
export class MatchedProcess extends MatchedOpBase {
  readonly kind = 'process' as const;

  /** Request a stop; the process exits its loop and ends SUCCEEDED or FAILED. */
  stop(): Promise<OCSReply> {
    return this.request({ action: 'stop', opName: this.name });
  }

  /** Python `MatchedProcess.__call__`: the same as `status()`. The argument is ignored. */
  call(_params?: Record<string, unknown>): Promise<OCSReply> {
    return this.status();
  }
}

/** A task or a process, discriminated by `kind`. */
export type MatchedOp = MatchedTask | MatchedProcess;

/** Python `_opname_to_attr`: `-` and space become `_`. */
export function opNameToKey(name: string): string {
  return name.replace(/[- ]/g, '_');
}
