/**
 * Error classes of `@smurf-ocs/wamp-codec`.
 *
 * wamp-codec is a leaf package (no dependency on `ocs-agent-core`), so it has its own error
 * base with the same shape as core's `OcsError`: a stable `code` and an optional `cause`.
 */

/** Stable error codes of this package. Retired codes are never reused. */
export type WampCodecErrorCode =
  /** Input bytes/text are not a valid JSON, msgpack or CBOR value, or not a WAMP message array. */
  | 'WAMP_ERR_DECODE'
  /** A value cannot be represented on the wire (function, symbol, bigint beyond 64 bits, cycle, ...). */
  | 'WAMP_ERR_ENCODE';

/**
 * Raised by every encode/decode function of this package on bad input.
 *
 * `code` is `WAMP_ERR_DECODE` for malformed input and `WAMP_ERR_ENCODE` for values that have no
 * wire representation. `offset` (decode only) is the byte/character position where decoding
 * stopped, when known.
 */
export class WampCodecError extends Error {
  override readonly name = 'WampCodecError';
  /** Stable machine-readable code. */
  readonly code: WampCodecErrorCode;
  /** Position in the input where decoding failed (decode errors only). */
  readonly offset: number | undefined;

  constructor(
    code: WampCodecErrorCode,
    message: string,
    options?: { cause?: unknown; offset?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.offset = options?.offset;
  }
}

/** @internal Shorthand for a decode error at `offset`. */
export function decodeError(message: string, offset: number, cause?: unknown): WampCodecError {
  return new WampCodecError('WAMP_ERR_DECODE', `${message} (at offset ${offset})`, {
    offset,
    cause,
  });
}

/** @internal Shorthand for an encode error. */
export function encodeError(message: string): WampCodecError {
  return new WampCodecError('WAMP_ERR_ENCODE', message);
}
