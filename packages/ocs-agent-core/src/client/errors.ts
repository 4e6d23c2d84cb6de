/**
 * Errors raised by the OCS client side (OCSClient, the WAMP client session, the `ocs-client` CLI).
 *
 * The wire-level error of a control call is {@link ControlClientError}; it carries the WAMP error
 * URI (or one of the two client-made URIs of ocs-protocol.md §3.1) with the error's args/kwargs,
 * just as Python's `ocs.client_http.ControlClientError` carries
 * `[0, 0, 0, 0, uri, args, kwargs]`.
 */
import { OCS_ERROR_CODES, OcsError, type OcsErrorCode } from '../errors.js';
import { wireText } from '../agent/wire-text.js';

/** URI used when the router (HTTP bridge or WebSocket) cannot be reached (ocs-protocol.md §3.1). */
export const CONNECTION_ERROR_URI = 'client_http.error.connection_error';
/** URI used when the HTTP bridge replies with a status other than 200 (ocs-protocol.md §3.1). */
export const REQUEST_ERROR_URI = 'client_http.error.request_error';

/** Base class of every client error; `code` is stable and starts with `OCS_ERR_`. */
export class OcsClientError extends OcsError {
  constructor(code: OcsErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = new.target.name;
  }
}

/**
 * A control call failed: connection failure, non-200 HTTP reply, or a WAMP error from the router
 * or the agent (e.g. `wamp.error.no_such_procedure`, `wamp.error.runtime_error`).
 *
 * An OCS-level rejection (`[-1, msg, {}]`) is *not* an error; it is an ordinary {@link OCSReply}.
 */
export class ControlClientError extends OcsClientError {
  /** The error URI, e.g. `wamp.error.no_such_procedure` or {@link CONNECTION_ERROR_URI}. */
  readonly uri: string;
  /** Positional error arguments (usually one message string). */
  readonly args: readonly unknown[];
  /** Keyword error arguments (usually empty). */
  readonly kwargs: Readonly<Record<string, unknown>>;

  constructor(
    uri: string,
    args: readonly unknown[] = [],
    kwargs: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    const text = args.length > 0 ? `: ${args.map((a) => (typeof a === 'string' ? a : wireText(a))).join(' ')}` : '';
    super(OCS_ERROR_CODES.controlClient, `${uri}${text}`, options);
    this.uri = uri;
    this.args = args;
    this.kwargs = kwargs;
  }

  /** The Python-compatible 7-element form `[0, 0, 0, 0, uri, args, kwargs]` (`exc.args[0]`). */
  toPythonTuple(): [0, 0, 0, 0, string, readonly unknown[], Readonly<Record<string, unknown>>] {
    return [0, 0, 0, 0, this.uri, this.args, this.kwargs];
  }
}

/** The agent or router answered with something that is not the shape ocs-protocol.md §2 defines. */
export class ReplyShapeError extends OcsClientError {
  /** The value that failed validation. */
  readonly value: unknown;

  constructor(what: string, detail: string, value: unknown) {
    super(OCS_ERROR_CODES.badReply, `Unexpected ${what} from agent: ${detail}`, {});
    this.value = value;
  }
}

/** The site config file (SCF) could not be read or lacks the hub settings the client needs. */
export class SiteConfigError extends OcsClientError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(OCS_ERROR_CODES.siteConfig, message, options);
  }
}

/** The OCS passwords file (`~/.ocs-passwords.yaml` or `$OCS_PASSWORDS_FILE`) is unreadable or malformed. */
export class PasswordFileError extends OcsClientError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(OCS_ERROR_CODES.passwordFile, message, options);
  }
}

/** The caller used the client wrongly: unknown op, wrong op kind, bad option value. */
export class ClientUsageError extends OcsClientError {
  constructor(message: string) {
    super(OCS_ERROR_CODES.clientUsage, message);
  }
}
