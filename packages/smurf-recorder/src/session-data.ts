/**
 * `session.data` of the `record` process. The Python recorder puts nothing there (spec B1); this
 * is new. Times are ctime seconds, sizes bytes, rates per second over the last update interval.
 *
 * Example while recording:
 * ```json
 * {
 *   "address": "tcp://smurf-stream:50000",
 *   "connection": "connected",
 *   "connected_since": 1795012340.1,
 *   "connects": 1,
 *   "connect_failures": 3,
 *   "current_file": { "path": "/data/17950/crate1slot2/1795012345_000.g3",
 *                     "opened_at": 1795012345.2, "frames": 41, "bytes": 268435456 },
 *   "frames_received": 83, "frames_written": 41, "frames_dropped": 42,
 *   "bytes_written": 268435456, "files_opened": 1, "files_closed": 0,
 *   "frame_rate": 1.0, "byte_rate": 6553600.0,
 *   "last_frame_time": 1795012385.3,
 *   "stream_errors": 0, "write_errors": 0, "last_error": null,
 *   "suprsync": { "db": "/data/suprsync.db", "archive": "timestreams",
 *                 "registered": 12, "errors": 0, "pending": 0 },
 *   "timestamp": 1795012385.9
 * }
 * ```
 */
import type { CurrentFile, FrameRecorder } from './frame-recorder.js';
import type { ConnectionState, FaultInfo, RecordLoop } from './record-loop.js';
import type { RegistrarCounters, SuprsyncRegistrar } from './suprsync-registrar.js';

/** The typed shape of `session.data` of `record`. */
export interface RecordSessionData {
  address: string;
  connection: ConnectionState;
  connected_since: number | null;
  connects: number;
  connect_failures: number;
  current_file: CurrentFile | null;
  frames_received: number;
  frames_written: number;
  frames_dropped: number;
  bytes_written: number;
  files_opened: number;
  files_closed: number;
  frame_rate: number;
  byte_rate: number;
  last_frame_time: number | null;
  stream_errors: number;
  write_errors: number;
  last_error: FaultInfo | null;
  suprsync: (RegistrarCounters & { db: string; archive: string }) | null;
  timestamp: number;
}

/** Builds {@link RecordSessionData}; keeps the previous sample to compute rates. */
export class SessionDataBuilder {
  private prev: { t: number; frames: number; bytes: number } | undefined;
  private rates = { frame_rate: 0, byte_rate: 0 };

  constructor(
    private readonly loop: RecordLoop,
    private readonly recorder: FrameRecorder,
    private readonly registrar: SuprsyncRegistrar | undefined,
  ) {}

  /** Snapshot at `now` (ctime s). Rates are updated when at least 0.5 s passed since the last one. */
  build(now: number): RecordSessionData {
    const c = this.recorder.counters;
    if (!this.prev) this.prev = { t: now, frames: c.frames_written, bytes: c.bytes_written };
    const dt = now - this.prev.t;
    if (dt >= 0.5) {
      this.rates = { frame_rate: (c.frames_written - this.prev.frames) / dt, byte_rate: (c.bytes_written - this.prev.bytes) / dt };
      this.prev = { t: now, frames: c.frames_written, bytes: c.bytes_written };
    }
    const w = this.recorder.lastWriteError;
    const writeFault: FaultInfo | undefined = w && { code: w.code, message: w.message, time: this.recorder.lastWriteErrorTime ?? now };
    const last = [this.loop.lastError, writeFault].filter((x): x is FaultInfo => x !== undefined).sort((a, b) => b.time - a.time)[0];
    return {
      address: this.loop.url,
      connection: this.loop.state,
      connected_since: this.loop.connectedSince ?? null,
      connects: this.loop.connects,
      connect_failures: this.loop.connectFailures,
      current_file: this.recorder.currentFile ?? null,
      ...c,
      ...this.rates,
      last_frame_time: this.recorder.lastFrameTime ?? null,
      stream_errors: this.loop.streamErrors,
      last_error: last ?? null,
      suprsync: this.registrar ? { db: this.registrar.dbPath, archive: this.registrar.archiveName, ...this.registrar.counters } : null,
      timestamp: now,
    };
  }
}
