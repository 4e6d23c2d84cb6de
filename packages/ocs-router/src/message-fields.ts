/**
 * Field accessors for incoming WAMP messages. Each throws {@link ProtocolViolationError} when a
 * field has the wrong type, which the session turns into ABORT `wamp.error.protocol_violation`.
 */
import { ProtocolViolationError } from './errors.js';
import { type Dict, isDict } from './wamp-messages.js';

/** Reader over one decoded message; `name` is used in error texts. */
export class Fields {
  constructor(
    readonly msg: readonly unknown[],
    readonly name: string,
  ) {}

  /** Checks the message length is within [min, max]. */
  arity(min: number, max: number): this {
    const n = this.msg.length;
    if (n < min || n > max) throw new ProtocolViolationError(`invalid message length ${n} for ${this.name}`);
    return this;
  }

  /** A WAMP id: integer in [0, 2^53]. */
  id(i: number): number {
    const v = this.msg[i];
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      throw new ProtocolViolationError(`invalid type for ID in ${this.name}`);
    }
    return v;
  }

  dict(i: number): Dict {
    const v = this.msg[i];
    if (!isDict(v)) throw new ProtocolViolationError(`invalid type for Details/Options in ${this.name}`);
    return v;
  }

  uri(i: number): string {
    const v = this.msg[i];
    if (typeof v !== 'string') throw new ProtocolViolationError(`invalid type for URI in ${this.name}`);
    return v;
  }

  /** Optional positional payload (array). */
  args(i: number): unknown[] | undefined {
    const v = this.msg[i];
    if (v === undefined) return undefined;
    if (!Array.isArray(v)) throw new ProtocolViolationError(`invalid type for 'args' in ${this.name}`);
    return v;
  }

  /** Optional keyword payload (dict). */
  kwargs(i: number): Dict | undefined {
    const v = this.msg[i];
    if (v === undefined) return undefined;
    if (!isDict(v)) throw new ProtocolViolationError(`invalid type for 'kwargs' in ${this.name}`);
    return v;
  }
}
