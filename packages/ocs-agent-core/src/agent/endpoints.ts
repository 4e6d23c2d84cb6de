/**
 * The two WAMP procedures of an agent (ocs-protocol.md 2.1, 2.2): argument binding with Python's
 * TypeError texts, action dispatch, and `wamp.error.runtime_error` for exceptions (1.4).
 */
import autobahn, { type Error as AutobahnError } from 'autobahn';
import { toNumber } from '@smurf-ocs/wamp-codec';
import type { OpsEngine, Credential, OpsReply } from './ops-engine.js';
import { bindPyCall, PyTypeError, type PySignature } from './py-call.js';

const OPS_SIG: PySignature = { name: 'OCSAgent._ops_handler', params: ['action', 'op_name', 'params', 'timeout', 'password'], required: 2, varKw: false };
const MGMT_SIG: PySignature = { name: 'OCSAgent._management_handler', params: ['q'], required: 1, varKw: true };

/** Handle a call of `R.I.ops`. Throws an autobahn Error (runtime_error) on binding failures. */
export async function opsCall(engine: OpsEngine, args: unknown[], kwargs: Record<string, unknown>): Promise<OpsReply> {
  try {
    const b = bindPyCall(OPS_SIG, args, kwargs);
    const action = b.get('action');
    const opName = String(b.get('op_name'));
    const params = b.get('params') ?? null;
    const pw = b.get('password');
    const cred: Credential = typeof pw === 'string' && pw !== '' ? pw : undefined;
    switch (action) {
      case 'start':
        return engine.start(opName, params, cred);
      case 'stop':
      case 'abort':
        return engine.stop(action, opName, params, cred);
      case 'wait': {
        const t = b.get('timeout');
        const timeout = t === null || t === undefined ? null : toNumber(t);
        if (timeout === undefined) throw new PyTypeError(`'<' not supported between instances of '${pyTypeName(t)}' and 'int'`);
        return await engine.wait(opName, timeout);
      }
      case 'status':
        return engine.status(opName);
      default:
        return [-1, `No implementation for "${opName}"`, {}];
    }
  } catch (err) {
    throw runtimeError(err);
  }
}

/** What the management procedure reports. */
export interface ManagementSource {
  getApi(): unknown;
  tasks(): unknown;
  processes(): unknown;
  feeds(): unknown;
  agentClass: string;
}

/** Handle a call of `R.I` (`q` positional or keyword; other kwargs ignored; unknown q -> null). */
export function managementCall(args: unknown[], kwargs: Record<string, unknown>, src: ManagementSource): unknown {
  try {
    const q = bindPyCall(MGMT_SIG, args, kwargs).get('q');
    switch (q) {
      case 'get_api':
        return src.getApi();
      case 'get_tasks':
        return src.tasks();
      case 'get_processes':
        return src.processes();
      case 'get_feeds':
        return src.feeds();
      case 'get_agent_class':
        return src.agentClass;
      default:
        return null;
    }
  } catch (err) {
    throw runtimeError(err);
  }
}

function pyTypeName(v: unknown): string {
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'list';
  return v !== null && typeof v === 'object' ? 'dict' : typeof v;
}

function runtimeError(err: unknown): AutobahnError {
  return new autobahn.Error('wamp.error.runtime_error', [err instanceof Error ? err.message : String(err)]);
}
