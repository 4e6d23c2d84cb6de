/**
 * Error classes of `@smurf-ocs/ocs-agent-core`. Other packages extend {@link OcsError} with their
 * own codes (`SUPRSYNC_ERR_*`, ...).
 */

/** Stable error codes of ocs-agent-core. Retired codes are never reused. */
export const OCS_ERROR_CODES = {
  /** Generic base code; prefer a specific one. */
  generic: 'OCS_ERR_GENERIC',
  /** Bad agent definition (duplicate op, process without stop, bad feed options). */
  definition: 'OCS_ERR_DEFINITION',
  /** Op parameters rejected; the message is the Python `ParamError` text (ocs-protocol.md 2.6). */
  param: 'OCS_ERR_PARAM',
  /** Command line, environment or site config invalid (ocs-protocol.md 7). */
  config: 'OCS_ERR_CONFIG',
  /** The site config file has no matching host or instance entry. */
  siteNoMatch: 'OCS_ERR_SITE_NO_MATCH',
  /** Unknown or unsupported access policy (ocs-protocol.md 5.2). */
  accessPolicy: 'OCS_ERR_ACCESS_POLICY',
  /** Feed name unknown to this agent. */
  feedUnknown: 'OCS_ERR_FEED_UNKNOWN',
  /** A record-feed message is malformed (ocs-protocol.md 4.4). */
  feedMessage: 'OCS_ERR_FEED_MESSAGE',
  /** A record-feed block changed its field set (`Block structure does not match`). */
  feedBlockStructure: 'OCS_ERR_FEED_BLOCK_STRUCTURE',
  /** session.data holds ±Infinity or an unserialisable value (ocs-protocol.md 2.4). */
  sessionData: 'OCS_ERR_SESSION_DATA',
  /** Session status may only move forward (ocs-protocol.md 2.3). */
  sessionStatus: 'OCS_ERR_SESSION_STATUS',
  /** No WAMP session is joined. */
  notConnected: 'OCS_ERR_NOT_CONNECTED',
  /** A WAMP call failed with an error URI. */
  wampCall: 'OCS_ERR_WAMP_CALL',
  /** Registration refused (duplicate instance or not authorised, ocs-protocol.md 6.8). */
  registration: 'OCS_ERR_REGISTRATION',
  /** A wait helper ran out of time (testing kit). */
  timeout: 'OCS_ERR_TIMEOUT',
  /** A child process or in-process agent failed to come up (testing kit). */
  agentStart: 'OCS_ERR_AGENT_START',
  /** The Python WAMP peer of the testing kit cannot run or gave no verdict (`runPythonPeer`). */
  pythonPeer: 'OCS_ERR_PYTHON_PEER',
  /** Client: a control call failed (connection, non-200 HTTP reply, WAMP error; ocs-protocol.md 3.1). */
  controlClient: 'OCS_ERR_CONTROL_CLIENT',
  /** Client: a reply is not the shape ocs-protocol.md 2 defines. */
  badReply: 'OCS_ERR_BAD_REPLY',
  /** Client: the site config cannot be read or lacks the hub settings the client needs. */
  siteConfig: 'OCS_ERR_SITE_CONFIG',
  /** Client: the OCS passwords file is unreadable or malformed. */
  passwordFile: 'OCS_ERR_PASSWORD_FILE',
  /** Client: wrong use of the client (unknown op, wrong op kind, bad CLI parameter). */
  clientUsage: 'OCS_ERR_CLIENT_USAGE',
} as const;

/** One of the codes in {@link OCS_ERROR_CODES}, or a code of a package extending the base. */
export type OcsErrorCode = (typeof OCS_ERROR_CODES)[keyof typeof OCS_ERROR_CODES] | (string & {});

/** Base class of every typed error in smurf-ocs packages that depend on ocs-agent-core. */
export class OcsError extends Error {
  override name = 'OcsError';
  /** Stable machine-readable code, e.g. `OCS_ERR_CONFIG`. */
  readonly code: OcsErrorCode;

  constructor(code: OcsErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }
}

/** Agent definition error (programming error in an agent package). */
export class DefinitionError extends OcsError {
  override name = 'DefinitionError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(OCS_ERROR_CODES.definition, message, options);
  }
}

/**
 * Op parameter rejection. Thrown by the param pre-screen or by op code; the message is what the
 * client sees (start reply text, or `ERROR: <msg>` in the session messages when thrown by an op).
 */
export class ParamError extends OcsError {
  override name = 'ParamError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(OCS_ERROR_CODES.param, message, options);
  }
}

/** Bad command line / environment / site config; `exitCode` is what the CLI exits with. */
export class ConfigError extends OcsError {
  override name = 'ConfigError';
  /** Process exit status for this error (2 = usage error as argparse, 1 otherwise). */
  readonly exitCode: number;
  constructor(message: string, options?: { cause?: unknown; exitCode?: number; code?: OcsErrorCode }) {
    super(options?.code ?? OCS_ERROR_CODES.config, message, options);
    this.exitCode = options?.exitCode ?? 1;
  }
}

/** Record-feed validation failure; nothing was published or buffered. */
export class FeedError extends OcsError {
  override name = 'FeedError';
}

/** Session misuse: bad status transition, unserialisable `data`. */
export class SessionError extends OcsError {
  override name = 'SessionError';
}

/** A WAMP-level failure (not connected, call error). `wampError` is the error URI when known. */
export class WampError extends OcsError {
  override name = 'WampError';
  /** WAMP error URI, e.g. `wamp.error.no_such_procedure`. */
  readonly wampError: string | undefined;
  /** Positional args of the WAMP ERROR. */
  readonly args: unknown[];
  constructor(code: OcsErrorCode, message: string, options?: { cause?: unknown; wampError?: string; args?: unknown[] }) {
    super(code, message, options);
    this.wampError = options?.wampError;
    this.args = options?.args ?? [];
  }
}

/** Testing-kit failure: timeout or agent that did not come up. */
export class TestingError extends OcsError {
  override name = 'TestingError';
}
