/**
 * Typed errors of the suprsync package. Every class carries a stable `code`
 * (`SUPRSYNC_ERR_*`) and passes `{ cause }` when it wraps another error.
 *
 * Codes are never reused; see docs/agents/suprsync.md, "Errors".
 */

import { OcsError } from '@smurf-ocs/ocs-agent-core';

/** Base class of every suprsync error (extends core's {@link OcsError}). */
export class SuprsyncError extends OcsError {
  constructor(code: `SUPRSYNC_ERR_${string}`, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = new.target.name;
  }
}

/**
 * The SQLite database failed in a way Python reports as `OperationalError`
 * (busy/locked beyond the 5 s budget, read-only, disk full, I/O error, missing table or column).
 * The agent counts it as `errors_sqlite`, sets `degraded` and retries after 5 s (spec §A8).
 */
export class SuprsyncDbError extends SuprsyncError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SUPRSYNC_ERR_DB', message, options);
  }
}

/** A path given to `addFile` is unusable (relative local path, absolute or escaping remote path). */
export class SuprsyncPathError extends SuprsyncError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SUPRSYNC_ERR_PATH', message, options);
  }
}

/** An external command (rsync, remote md5sum) or the ssh session exceeded its timeout. */
export class SuprsyncTimeoutError extends SuprsyncError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SUPRSYNC_ERR_TIMEOUT', message, options);
  }
}

/** rsync or a remote command exited non-zero in a way that fails the whole batch. */
export class SuprsyncCommandError extends SuprsyncError {
  /** Exit status of the command, or null if it was killed by a signal. */
  readonly exitCode: number | null;
  constructor(message: string, exitCode: number | null, options?: { cause?: unknown }) {
    super('SUPRSYNC_ERR_COMMAND', message, options);
    this.exitCode = exitCode;
  }
}

/** The remote host could not be reached or refused authentication (ssh connect failed). */
export class SuprsyncUnreachableError extends SuprsyncError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SUPRSYNC_ERR_UNREACHABLE', message, options);
  }
}

/** The remote host key is unknown or does not match known_hosts. */
export class SuprsyncHostKeyError extends SuprsyncError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SUPRSYNC_ERR_HOST_KEY', message, options);
  }
}

/** A required external tool (rsync, ssh, ssh-keygen) is missing. */
export class SuprsyncToolError extends SuprsyncError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SUPRSYNC_ERR_TOOL', message, options);
  }
}

/** The finalization YAML could not be written (permission, disk full). Counted, not fatal. */
export class SuprsyncFinalizeError extends SuprsyncError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('SUPRSYNC_ERR_FINALIZE', message, options);
  }
}

/** Every error class of the package, for the catalog test and docs. */
export const errorCatalog = [
  SuprsyncDbError,
  SuprsyncPathError,
  SuprsyncTimeoutError,
  SuprsyncCommandError,
  SuprsyncUnreachableError,
  SuprsyncHostKeyError,
  SuprsyncToolError,
  SuprsyncFinalizeError,
] as const;
