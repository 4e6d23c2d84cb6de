/**
 * The `record` loop (spec B1 `start_record`, B3.2): connect, feed frames to the
 * {@link FrameRecorder}, and on any end of the stream close the file and reconnect, at most one
 * attempt per second (spec B2.1). Stream faults (garbage, CRC, truncation, bad flow control) are
 * logged, counted and survived: the file is closed on its last whole frame and the loop reconnects
 * (Python ends the process with an error; docs/compat/smurf-recorder.md).
 */
import type { G3Frame } from '@smurf-ocs/g3-frame';
import type { Logger } from 'pino';
import { RecorderError } from './errors.js';
import type { FrameRecorder } from './frame-recorder.js';
import { ReceivedFrame, type FrameKeyOrder } from './received-frame.js';
import { StreamConnection, type StreamEndReason } from './stream-reader.js';
import { abortableSleep } from '@smurf-ocs/ocs-agent-core';

/** Connection state shown in session.data. */
export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

/** A fault, as shown in session.data.last_error. `time` in ctime seconds. */
export interface FaultInfo {
  code: string;
  message: string;
  time: number;
}

/** Options of {@link RecordLoop}. */
export interface RecordLoopOptions {
  host: string;
  port: number;
  recorder: FrameRecorder;
  log: Logger;
  keyOrder?: FrameKeyOrder;
  /** Silence that ends a stream, ms (Python 5000). */
  idleTimeoutMs?: number;
  /** Minimum time between connect attempts, ms (Python 1000). */
  retryIntervalMs?: number;
  now?: () => number;
  /** Called with every frame read (after the recorder handled it). Must not throw. */
  onFrame?: (frame: G3Frame) => void;
  /** Called after every frame and state change; the caller throttles. */
  onChange?: () => void;
}

/** Runs connect/read/record until the signal aborts. */
export class RecordLoop {
  state: ConnectionState = 'disconnected';
  connectedSince: number | undefined;
  connects = 0;
  connectFailures = 0;
  streamErrors = 0;
  lastError: FaultInfo | undefined;
  lastEnd: StreamEndReason | 'fault' | undefined;
  private readonly now: () => number;

  constructor(private readonly o: RecordLoopOptions) {
    this.now = o.now ?? (() => Date.now() / 1000);
  }

  /** `tcp://host:port`, as the Python logs name it. */
  get url(): string {
    return `tcp://${this.o.host.includes(':') ? `[${this.o.host}]` : this.o.host}:${this.o.port}`;
  }

  /** Loop until `signal` aborts, then close the open file. */
  async run(signal: AbortSignal): Promise<void> {
    let lastAttempt = -Infinity;
    try {
      while (!signal.aborted) {
        const wait = lastAttempt + (this.o.retryIntervalMs ?? 1000) - Date.now();
        if (wait > 0 && !(await abortableSleep(wait, signal))) break;
        lastAttempt = Date.now();
        const conn = await this.connect(signal);
        if (conn) await this.consume(conn, signal);
      }
    } finally {
      await this.o.recorder.close();
      this.setState('disconnected');
    }
  }

  private async connect(signal: AbortSignal): Promise<StreamConnection | undefined> {
    this.setState('connecting');
    try {
      const conn = await StreamConnection.connect({
        host: this.o.host, port: this.o.port, signal,
        ...(this.o.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: this.o.idleTimeoutMs }),
      });
      this.connects += 1;
      this.connectedSince = this.now();
      this.setState('connected');
      this.o.log.debug({ url: this.url }, `G3Reader connection to ${this.url} established!`);
      return conn;
    } catch (err) {
      if (signal.aborted) return undefined;
      this.connectFailures += 1;
      this.o.log.error({ url: this.url, err_code: (err as NodeJS.ErrnoException).code }, 'G3Reader could not connect.');
      this.setState('disconnected');
      return undefined;
    }
  }

  private async consume(conn: StreamConnection, signal: AbortSignal): Promise<void> {
    const onAbort = (): void => conn.close();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      for (;;) {
        const next = await conn.next();
        if ('frame' in next) {
          await this.o.recorder.handleFrame(new ReceivedFrame(next.frame, this.o.keyOrder));
          this.o.onFrame?.(next.frame);
          conn.release(next.frame);
          this.o.onChange?.();
          continue;
        }
        if ('error' in next) this.onFault(next.error);
        else this.lastEnd = next.end;
        break;
      }
    } catch (err) {
      if (!(err instanceof RecorderError)) throw err;
      this.onFault(err);
    } finally {
      signal.removeEventListener('abort', onAbort);
      conn.close();
      this.connectedSince = undefined;
      await this.o.recorder.endOfStream();
      this.setState('disconnected');
    }
  }

  private onFault(err: RecorderError): void {
    this.streamErrors += 1;
    this.lastEnd = 'fault';
    this.lastError = { code: err.code, message: err.message, time: this.now() };
    this.o.log.error({ err, url: this.url }, 'Stream fault: file closed, reconnecting');
  }

  private setState(s: ConnectionState): void {
    this.state = s;
    this.o.onChange?.();
  }
}

