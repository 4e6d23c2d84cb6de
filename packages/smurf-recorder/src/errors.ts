/**
 * Error classes of `@smurf-ocs/smurf-recorder`. Every class extends core's {@link OcsError} with a
 * stable `SMURF_RECORDER_ERR_*` code. Stream faults are survived by the `record` process (the
 * file is closed and the recorder reconnects); they are counted in `session.data.errors`.
 * Retired codes are never reused.
 */
import { OcsError } from '@smurf-ocs/ocs-agent-core';

/** Stable error codes of the recorder. */
export const RECORDER_ERROR_CODES = {
  /** Base code; prefer a specific one. */
  generic: 'SMURF_RECORDER_ERR_GENERIC',
  /** The TCP stream broke inside a frame: garbage, CRC mismatch, truncation (spec B3.2, B4). */
  stream: 'SMURF_RECORDER_ERR_STREAM',
  /** `sostream_flowcontrol` is not ALIVE/START/END/CLEANSE, or not a number (spec B3.2). */
  flowControl: 'SMURF_RECORDER_ERR_FLOW_CONTROL',
  /** `sostream_id` is present but not a G3String (spec B3.2). */
  streamId: 'SMURF_RECORDER_ERR_STREAM_ID',
  /** Creating the directory, opening, writing, fsyncing or closing a `.g3` file failed (spec B4). */
  write: 'SMURF_RECORDER_ERR_WRITE',
  /** Registering a closed file in the SupRsync database failed. */
  register: 'SMURF_RECORDER_ERR_REGISTER',
  /** Repairing the file left open by a killed recorder failed. */
  recover: 'SMURF_RECORDER_ERR_RECOVER',
} as const;

/** One of the {@link RECORDER_ERROR_CODES} values. */
export type RecorderErrorCode = (typeof RECORDER_ERROR_CODES)[keyof typeof RECORDER_ERROR_CODES];

/** Base class of every recorder error. */
export class RecorderError extends OcsError {
  override name = 'RecorderError';
  declare readonly code: RecorderErrorCode;
  constructor(code: RecorderErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** The byte stream from the sender cannot be parsed any further. Code `SMURF_RECORDER_ERR_STREAM`. */
export class StreamError extends RecorderError {
  override name = 'StreamError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(RECORDER_ERROR_CODES.stream, message, options);
  }
}

/** Bad `sostream_flowcontrol` value. Code `SMURF_RECORDER_ERR_FLOW_CONTROL`. */
export class FlowControlError extends RecorderError {
  override name = 'FlowControlError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(RECORDER_ERROR_CODES.flowControl, message, options);
  }
}

/** Bad `sostream_id` value. Code `SMURF_RECORDER_ERR_STREAM_ID`. */
export class StreamIdError extends RecorderError {
  override name = 'StreamIdError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(RECORDER_ERROR_CODES.streamId, message, options);
  }
}

/** File system failure while recording. Code `SMURF_RECORDER_ERR_WRITE`; `path` is the file or dir. */
export class WriteError extends RecorderError {
  override name = 'WriteError';
  constructor(readonly path: string, message: string, options?: { cause?: unknown }) {
    super(RECORDER_ERROR_CODES.write, `${message}: ${path}`, options);
  }
}

/** SupRsync registration failure. Code `SMURF_RECORDER_ERR_REGISTER`. */
export class RegisterError extends RecorderError {
  override name = 'RegisterError';
  constructor(readonly path: string, message: string, options?: { cause?: unknown }) {
    super(RECORDER_ERROR_CODES.register, `${message}: ${path}`, options);
  }
}

/** Crash-recovery failure. Code `SMURF_RECORDER_ERR_RECOVER`. */
export class RecoverError extends RecorderError {
  override name = 'RecoverError';
  constructor(readonly path: string, message: string, options?: { cause?: unknown }) {
    super(RECORDER_ERROR_CODES.recover, `${message}: ${path}`, options);
  }
}
