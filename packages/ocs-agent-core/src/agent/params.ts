/**
 * Op parameter declarations and the Python `@param` pre-screen (ocs-protocol.md 2.6), producing
 * the exact Python error texts. An op declares params either with {@link ParamDecl} records
 * (`param.float(...)`) or with a zod object schema, which is translated to declarations.
 */
import { isWampFloat } from '@smurf-ocs/wamp-codec';
import type { z } from 'zod';
import { ParamError } from '../errors.js';
import { isPyInt, pyRepr, pyStr } from './py-repr.js';

/** Python type of a declared param (`type=` of `@param`). */
export type PyType = 'float' | 'int' | 'str' | 'bool' | 'list' | 'dict' | 'tuple';

/** One `@param` declaration. */
export interface ParamDecl {
  /** Python type to check; absent = no type check. `float` accepts ints (and bools, as Python). */
  type?: PyType;
  /** Default value. Absent (`'default' in decl` false) = the param is required. */
  default?: unknown;
  /** Allowed values (`choices=`). */
  choices?: readonly unknown[];
  /** Validity predicate (`check=`). Receives the type-checked value. */
  check?: (value: never) => boolean;
  /** Cast applied to non-null values before the type check (`cast=`). `name` is its Python repr. */
  cast?: { name: string; fn: (value: unknown) => unknown };
  /** `treat_none_as_missing` (default true): null means "use the default". */
  treatNoneAsMissing?: boolean;
}

/**
 * Param declarations of an op, in the order Python checks them (innermost decorator first).
 * `noCheckStrays` = `@param('_no_check_strays')`; `{}` with `noParams` = `@param('_')`.
 */
export interface ParamSpec {
  decls: Record<string, ParamDecl>;
  noCheckStrays?: boolean;
}

/** Builders for {@link ParamDecl}: `param.float({ default: 5, check: (x) => x >= 0 })`. */
export const param = {
  float: (o: Omit<ParamDecl, 'type' | 'check'> & { check?: (v: number) => boolean } = {}): ParamDecl => ({ ...o, type: 'float' }),
  int: (o: Omit<ParamDecl, 'type' | 'check'> & { check?: (v: number) => boolean } = {}): ParamDecl => ({ ...o, type: 'int' }),
  str: (o: Omit<ParamDecl, 'type' | 'check'> & { check?: (v: string) => boolean } = {}): ParamDecl => ({ ...o, type: 'str' }),
  bool: (o: Omit<ParamDecl, 'type' | 'check'> & { check?: (v: boolean) => boolean } = {}): ParamDecl => ({ ...o, type: 'bool' }),
  list: (o: Omit<ParamDecl, 'type' | 'check'> & { check?: (v: unknown[]) => boolean } = {}): ParamDecl => ({ ...o, type: 'list' }),
  dict: (o: Omit<ParamDecl, 'type' | 'check'> & { check?: (v: Record<string, unknown>) => boolean } = {}): ParamDecl => ({ ...o, type: 'dict' }),
  any: (o: ParamDecl = {}): ParamDecl => ({ ...o }),
};

const TYPE_REPR: Record<PyType, string> = {
  float: "<class 'float'>",
  int: "<class 'int'>",
  str: "<class 'str'>",
  bool: "<class 'bool'>",
  list: "<class 'list'>",
  dict: "<class 'dict'>",
  tuple: "<class 'tuple'>",
};

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !isWampFloat(v);
}

/** Python isinstance check with the float/int/bool rules of 2.6. Returns [ok, converted]. */
function typeCheck(type: PyType, v: unknown): [boolean, unknown] {
  switch (type) {
    case 'float':
      if (isWampFloat(v)) return [true, v.value];
      if (typeof v === 'number') return [true, v];
      if (typeof v === 'bigint') return [true, Number(v)];
      if (typeof v === 'boolean') return [true, v ? 1 : 0];
      return [false, v];
    case 'int':
      if (isPyInt(v)) return [true, typeof v === 'bigint' ? v : v];
      if (typeof v === 'boolean') return [true, v ? 1 : 0];
      return [false, v];
    case 'str':
      return [typeof v === 'string', v];
    case 'bool':
      return [typeof v === 'boolean', v];
    case 'list':
    case 'tuple':
      return [Array.isArray(v), v];
    case 'dict':
      return [isPlainObject(v), v];
  }
}

/** Deep copy with {@link WampFloat} markers unwrapped to plain numbers (what op code receives). */
export function unwrapFloats(v: unknown): unknown {
  if (isWampFloat(v)) return v.value;
  if (Array.isArray(v)) return v.map(unwrapFloats);
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = unwrapFloats(x);
    return out;
  }
  return v;
}

function checkOne(key: string, decl: ParamDecl, present: boolean, raw: unknown): unknown {
  let v = raw;
  const treatNone = decl.treatNoneAsMissing ?? true;
  if (!present || (v === null && treatNone)) {
    if (!('default' in decl)) throw new ParamError(`Param '${key}' is required and must not be None`);
    return decl.default;
  }
  if (v !== null && decl.cast) {
    try {
      v = decl.cast.fn(v);
    } catch {
      throw new ParamError(`Param '${key}'=${pyStr(v)} could not be cast to ${decl.cast.name}.`);
    }
  }
  if (decl.type && v !== null) {
    const [ok, converted] = typeCheck(decl.type, v);
    if (!ok) throw new ParamError(`Param '${key}'=${pyStr(v)} is not of required type (${TYPE_REPR[decl.type]})`);
    v = converted;
  }
  if (decl.choices && !decl.choices.some((c) => c === unwrapFloats(v))) {
    throw new ParamError(`Param '${key}'=${pyStr(v)} is not in allowed set (${pyRepr([...decl.choices])})`);
  }
  const plain = unwrapFloats(v);
  if (decl.check && !(decl.check as (x: unknown) => boolean)(plain)) {
    throw new ParamError(`Param '${key}' failed validity check (see docs?).`);
  }
  return plain;
}

/**
 * Run the pre-screen on raw `params` (null, object or array as received). Returns the params
 * object the op receives (declared keys only, defaults filled, floats unwrapped). Throws
 * {@link ParamError} with the Python text, or a plain Error for the Q10 crash (`[]` params).
 */
export function prescreenParams(spec: ParamSpec, raw: unknown): Record<string, unknown> {
  const params = raw === null || raw === undefined ? {} : raw;
  if (!isPlainObject(params)) {
    const pyType = Array.isArray(params) ? 'list' : typeof params === 'string' ? 'str' : typeof params;
    throw new Error(`'${pyType}' object has no attribute 'get'`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, decl] of Object.entries(spec.decls)) {
    out[key] = checkOne(key, decl, Object.hasOwn(params, key), params[key]);
  }
  if (!spec.noCheckStrays) {
    const strays = Object.keys(params).filter((k) => !Object.hasOwn(spec.decls, k));
    if (strays.length > 0) throw new ParamError(`params included unexpected values: ${pyRepr(strays)}`);
  }
  return out;
}

type ZodAny = z.ZodType;
interface ZodDefLike {
  type: string;
  innerType?: ZodAny;
  defaultValue?: unknown;
  shape?: Record<string, ZodAny>;
  entries?: Record<string, unknown>;
  values?: unknown[];
  format?: string;
}
function defOf(s: ZodAny): ZodDefLike {
  return (s as unknown as { _zod: { def: ZodDefLike } })._zod.def;
}

/** Translate one zod field schema into a {@link ParamDecl}; the full schema becomes the `check`. */
function declFromZod(field: ZodAny): ParamDecl {
  const decl: ParamDecl = {};
  let s = field;
  for (;;) {
    const d = defOf(s);
    if (d.type === 'default' || d.type === 'prefault') {
      decl.default = typeof d.defaultValue === 'function' ? (d.defaultValue as () => unknown)() : d.defaultValue;
    } else if (d.type === 'optional') {
      if (!('default' in decl)) decl.default = undefined;
    } else if (d.type !== 'nullable' && d.type !== 'readonly') break;
    if (!d.innerType) break;
    s = d.innerType;
  }
  const d = defOf(s);
  const inner = s;
  if (d.type === 'number') decl.type = (inner as unknown as { isInt?: boolean }).isInt || d.format === 'safeint' ? 'int' : 'float';
  else if (d.type === 'string') decl.type = 'str';
  else if (d.type === 'boolean') decl.type = 'bool';
  else if (d.type === 'array' || d.type === 'tuple') decl.type = 'list';
  else if (d.type === 'object' || d.type === 'record') decl.type = 'dict';
  else if (d.type === 'enum' && d.entries) decl.choices = Object.values(d.entries);
  else if (d.type === 'literal' && d.values) decl.choices = d.values;
  decl.check = ((x: unknown) => inner.safeParse(x).success) as (v: never) => boolean;
  return decl;
}

/** Build a {@link ParamSpec} from a zod object schema (key order = check order). */
export function paramSpecFromZod(schema: z.ZodObject, opts: { noCheckStrays?: boolean } = {}): ParamSpec {
  const decls: Record<string, ParamDecl> = {};
  for (const [k, v] of Object.entries(schema.shape)) decls[k] = declFromZod(v as ZodAny);
  return { decls, noCheckStrays: opts.noCheckStrays ?? false };
}
