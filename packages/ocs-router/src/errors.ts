/**
 * Error classes of `@smurf-ocs/ocs-router`. The router depends on nothing of ours but
 * wamp-codec, so it has its own base with core's shape: a stable `code` and an optional `cause`.
 */

/** Stable error codes of this package. Retired codes are never reused. */
export type RouterErrorCode =
  /** Invalid router options (port, realm list, address root, timeouts). */
  | 'ROUTER_ERR_CONFIG'
  /** A peer broke the WAMP protocol (bad message shape, message before HELLO, ...). */
  | 'ROUTER_ERR_PROTOCOL';

/** Base class of every error this package throws. */
export class RouterError extends Error {
  override name = 'RouterError';
  /** Stable machine-readable code. */
  readonly code: RouterErrorCode;

  constructor(code: RouterErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** Invalid router options; the message names the option and the accepted values. */
export class RouterConfigError extends RouterError {
  override name = 'RouterConfigError';
  constructor(message: string) {
    super('ROUTER_ERR_CONFIG', message);
  }
}

/** A WAMP protocol violation by a peer; the router answers it with ABORT and closes the transport. */
export class ProtocolViolationError extends RouterError {
  override name = 'ProtocolViolationError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('ROUTER_ERR_PROTOCOL', message, options);
  }
}

