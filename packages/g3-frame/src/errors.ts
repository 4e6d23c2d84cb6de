/**
 * Error classes of `@smurf-ocs/g3-frame`. Every failure caused by bad input is a {@link G3Error}
 * with a stable `code` (`G3_ERR_*`) and, where it applies, the byte `offset` in the stream or
 * file at which the problem was found. Retired codes are never reused.
 *
 * g3-frame is a leaf package (no OCS imports), so {@link G3Error} extends `Error` directly.
 */

/** Stable error codes. Documented one by one in docs/g3-frame.md ("Errors"). */
export const G3_ERROR_CODES = {
  /** Base code; prefer a specific one. */
  generic: 'G3_ERR_GENERIC',
  /** Recorded frame CRC differs from the computed one (g3-format.md §2.3). */
  crc: 'G3_ERR_CRC',
  /** Input ended inside a frame or inside a value. */
  truncated: 'G3_ERR_TRUNCATED',
  /** A length or count field is larger than the input or the configured limit allows. */
  badLength: 'G3_ERR_BAD_LENGTH',
  /** Bytes that cannot start a frame (bad endianness flag or frame version) between frames. */
  garbage: 'G3_ERR_GARBAGE',
  /** A class or frame version newer than this reader understands (§2, §3). */
  version: 'G3_ERR_VERSION',
  /** A value blob is malformed (bad pointer id, bad enum, inconsistent sizes). */
  decode: 'G3_ERR_DECODE',
  /** A FLAC stream inside a G3Timestream/G3SuperTimestream could not be decoded. */
  flac: 'G3_ERR_FLAC',
  /** A value cannot be encoded (unsupported class for writing, out-of-range number). */
  encode: 'G3_ERR_ENCODE',
  /** `tcp://` reader could not connect, or the sender could not listen. */
  connect: 'G3_ERR_CONNECT',
  /** Unsupported file name suffix or compression. */
  unsupported: 'G3_ERR_UNSUPPORTED',
  /** Operation on a closed writer/sender. */
  closed: 'G3_ERR_CLOSED',
} as const;

/** One of the {@link G3_ERROR_CODES} values. */
export type G3ErrorCode = (typeof G3_ERROR_CODES)[keyof typeof G3_ERROR_CODES];

/** Options shared by all g3-frame errors. */
export interface G3ErrorOptions {
  /** Byte offset in the stream/file (or in the blob, for value errors) where the fault was seen. */
  offset?: number;
  /** Underlying error, if this wraps one. */
  cause?: unknown;
}

/** Base class of every g3-frame error. `code` is stable; `offset` is a byte offset if known. */
export class G3Error extends Error {
  readonly code: G3ErrorCode;
  readonly offset: number | undefined;
  constructor(message: string, code: G3ErrorCode = G3_ERROR_CODES.generic, opts: G3ErrorOptions = {}) {
    super(opts.offset === undefined ? message : `${message} (at byte ${opts.offset})`, { cause: opts.cause });
    this.name = 'G3Error';
    this.code = code;
    this.offset = opts.offset;
  }
}

/** CRC mismatch; carries both values. Code `G3_ERR_CRC`. */
export class G3CrcError extends G3Error {
  constructor(readonly recorded: number, readonly computed: number, opts: G3ErrorOptions = {}) {
    super(
      `Recorded CRC (${hex(recorded)}) does not match calculated (${hex(computed)})`,
      G3_ERROR_CODES.crc,
      opts,
    );
    this.name = 'G3CrcError';
  }
}

/** Input ended early. Code `G3_ERR_TRUNCATED`. `needed` bytes were wanted, `available` present. */
export class G3TruncatedError extends G3Error {
  constructor(readonly needed: number, readonly available: number, opts: G3ErrorOptions = {}) {
    super(`Truncated input: needed ${needed} bytes, ${available} available`, G3_ERROR_CODES.truncated, opts);
    this.name = 'G3TruncatedError';
  }
}

/** A length/count field is implausible. Code `G3_ERR_BAD_LENGTH`. */
export class G3BadLengthError extends G3Error {
  constructor(what: string, readonly claimed: bigint | number, limit: number, opts: G3ErrorOptions = {}) {
    super(`${what} claims ${claimed} bytes/items, limit ${limit}`, G3_ERROR_CODES.badLength, opts);
    this.name = 'G3BadLengthError';
  }
}

/** Bytes between frames that cannot start a frame. Code `G3_ERR_GARBAGE`. */
export class G3GarbageError extends G3Error {
  constructor(detail: string, opts: G3ErrorOptions = {}) {
    super(`Not a G3 frame start: ${detail}`, G3_ERROR_CODES.garbage, opts);
    this.name = 'G3GarbageError';
  }
}

/** Class or frame version too new. Code `G3_ERR_VERSION`. */
export class G3VersionError extends G3Error {
  constructor(className: string, version: number, max: number, opts: G3ErrorOptions = {}) {
    super(`Trying to read newer class version: ${className} v${version} (max ${max})`, G3_ERROR_CODES.version, opts);
    this.name = 'G3VersionError';
  }
}

/** Malformed value blob. Code `G3_ERR_DECODE`. */
export class G3DecodeError extends G3Error {
  constructor(message: string, opts: G3ErrorOptions = {}) {
    super(message, G3_ERROR_CODES.decode, opts);
    this.name = 'G3DecodeError';
  }
}

/** FLAC payload could not be decoded. Code `G3_ERR_FLAC`. */
export class G3FlacError extends G3Error {
  constructor(message: string, opts: G3ErrorOptions = {}) {
    super(`FLAC: ${message}`, G3_ERROR_CODES.flac, opts);
    this.name = 'G3FlacError';
  }
}

/** Value cannot be encoded. Code `G3_ERR_ENCODE`. */
export class G3EncodeError extends G3Error {
  constructor(message: string, opts: G3ErrorOptions = {}) {
    super(message, G3_ERROR_CODES.encode, opts);
    this.name = 'G3EncodeError';
  }
}

/** Network connect/listen failure. Code `G3_ERR_CONNECT`. */
export class G3ConnectError extends G3Error {
  constructor(message: string, opts: G3ErrorOptions = {}) {
    super(message, G3_ERROR_CODES.connect, opts);
    this.name = 'G3ConnectError';
  }
}

/** Unsupported suffix/compression/feature. Code `G3_ERR_UNSUPPORTED`. */
export class G3UnsupportedError extends G3Error {
  constructor(message: string, opts: G3ErrorOptions = {}) {
    super(message, G3_ERROR_CODES.unsupported, opts);
    this.name = 'G3UnsupportedError';
  }
}

/** Use after close. Code `G3_ERR_CLOSED`. */
export class G3ClosedError extends G3Error {
  constructor(what: string) {
    super(`${what} is closed`, G3_ERROR_CODES.closed);
    this.name = 'G3ClosedError';
  }
}

function hex(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}
