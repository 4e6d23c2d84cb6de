/**
 * Python call binding for WAMP endpoints: maps `(args, kwargs)` onto a Python-style signature
 * and produces the exact `TypeError` texts Python would send as `wamp.error.runtime_error`
 * (ocs-protocol.md 1.4), e.g. `OCSAgent._management_handler() missing 1 required positional argument: 'q'`.
 */

/** A Python-style signature. */
export interface PySignature {
  /** Qualified name, e.g. `OCSAgent._ops_handler`. */
  name: string;
  /** Parameter names after `self`. */
  params: readonly string[];
  /** How many leading params are required. */
  required: number;
  /** Accepts `**kwargs`. */
  varKw: boolean;
}

/** Thrown when binding fails; `message` is the Python TypeError text. */
export class PyTypeError extends Error {
  override name = 'TypeError';
}

function quoteList(names: string[]): string {
  const q = names.map((n) => `'${n}'`);
  if (q.length <= 1) return q.join('');
  return `${q.slice(0, -1).join(', ')}${q.length > 2 ? ',' : ''} and ${q[q.length - 1]}`;
}

/** Bind args/kwargs; returns a map of parameter name -> value (absent = not given). */
export function bindPyCall(sig: PySignature, args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>): Map<string, unknown> {
  const n = sig.params.length;
  if (args.length > n) {
    const range = sig.required === n ? `${n + 1}` : `from ${sig.required + 1} to ${n + 1}`;
    const verb = sig.required === n && n + 1 === 1 ? 'argument' : 'arguments';
    throw new PyTypeError(`${sig.name}() takes ${range} positional ${verb} but ${args.length + 1} were given`);
  }
  const out = new Map<string, unknown>();
  args.forEach((v, i) => out.set(sig.params[i] as string, v));
  for (const [k, v] of Object.entries(kwargs)) {
    if (!sig.params.includes(k)) {
      if (sig.varKw) continue;
      throw new PyTypeError(`${sig.name}() got an unexpected keyword argument '${k}'`);
    }
    if (out.has(k)) throw new PyTypeError(`${sig.name}() got multiple values for argument '${k}'`);
    out.set(k, v);
  }
  const missing = sig.params.slice(0, sig.required).filter((p) => !out.has(p));
  if (missing.length > 0) {
    const s = missing.length === 1 ? '' : 's';
    throw new PyTypeError(`${sig.name}() missing ${missing.length} required positional argument${s}: ${quoteList(missing)}`);
  }
  return out;
}
