/**
 * The FrameRecorder state machine (spec B3), without any network or OCS code: frames go in one at
 * a time, `.g3` files come out. The TCP side lives in stream-reader.ts, the loop in record-loop.ts.
 *
 * Per frame, in the Python order (spec B3.2): flow control (START closes the file, END closes it
 * and forgets the last Observation), drop flow-control and PipelineInfo frames, the 10 s gap check,
 * then open a file if none is open, write, and rotate after `timePerFile` seconds (spec B3.3-B3.4).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { StreamIdError, WriteError, type RecorderError } from './errors.js';
import { acquisitionDir, fileName } from './file-naming.js';
import { FLOW_CONTROL_KEY, FlowControl } from './flow-control.js';
import { FrameFile, type ClosedFile } from './frame-file.js';

/** G3 frame type codes the recorder looks at (g3-format.md §2.1). */
export const FRAME_TYPE = { Observation: 0x4f, PipelineInfo: 0x50, EndProcessing: 0x5a } as const;

/** The view of a received frame the recorder needs; values are decoded lazily. */
export interface RecordableFrame {
  /** Frame type as the u32 code (`'S'` = 0x53). */
  readonly type: number;
  /** Whether the frame has `key`. */
  hasKey(key: string): boolean;
  /** `sostream_flowcontrol` as a {@link FlowControl}, or undefined. Throws FlowControlError. */
  flowControl(): FlowControl | undefined;
  /** `sostream_id` if present. Throws StreamIdError if it is not a G3String. */
  streamId(): string | undefined;
  /** The bytes to put in the file: one whole serialized frame. */
  chunks(): readonly Uint8Array[];
}

/** Options of {@link FrameRecorder}. */
export interface FrameRecorderOptions {
  /** `--data-dir`. */
  dataDir: string;
  /** `--stream-id`: directory used when the first frame of an acquisition has no `sostream_id`. */
  streamId: string;
  /** `--time-per-file`, seconds. */
  timePerFile: number;
  /** Close the file when nothing was written for this long, seconds (Python: 10). */
  gapSeconds?: number;
  /** Clock, ctime seconds. */
  now?: () => number;
  /** Hash files while writing (md5 in {@link ClosedFile}). */
  md5?: boolean;
  log: Logger;
  /** Where frames come from, for the log (`tcp://host:port`). */
  source?: string;
  /** Called after a file was created (before its first frame). */
  onOpen?: (filePath: string) => Promise<void>;
  /** Called after a file was fsynced and closed. */
  onClose?: (file: ClosedFile) => Promise<void>;
}

/** Counters since the recorder was created (the `record` process). */
export interface RecorderCounters {
  frames_received: number;
  frames_written: number;
  bytes_written: number;
  frames_dropped: number;
  files_opened: number;
  files_closed: number;
  write_errors: number;
}

/** The open file, as shown in session.data. */
export interface CurrentFile {
  path: string;
  opened_at: number;
  frames: number;
  bytes: number;
}

/** Frame-in, files-out recorder. Not re-entrant: await each call before the next. */
export class FrameRecorder {
  readonly counters: RecorderCounters = {
    frames_received: 0, frames_written: 0, bytes_written: 0, frames_dropped: 0,
    files_opened: 0, files_closed: 0, write_errors: 0,
  };
  /** ctime of the last frame written, if any. */
  lastFrameTime: number | undefined;
  /** The last write failure, if any (cleared by nothing; shown in session.data). */
  lastWriteError: RecorderError | undefined;
  /** ctime of {@link lastWriteError}. */
  lastWriteErrorTime: number | undefined;

  private file: FrameFile | undefined;
  private dataReceived = false;
  private lastMeta: Uint8Array[] | undefined;
  private lastWriteAt: number | undefined;
  private lastFileSecond: number | undefined;
  private suffix = 0;
  private startTime = 0;
  private dirname = '';
  private basename = 0;
  private readonly now: () => number;
  private readonly gap: number;

  constructor(private readonly opts: FrameRecorderOptions) {
    this.now = opts.now ?? (() => Date.now() / 1000);
    this.gap = opts.gapSeconds ?? 10;
  }

  /** The open file, or undefined. */
  get currentFile(): CurrentFile | undefined {
    const f = this.file;
    return f && { path: f.path, opened_at: f.openedAt, frames: f.frameCount, bytes: f.byteCount };
  }

  /**
   * Handle one received frame (spec B3.2 steps 1, 2, 4). Throws FlowControlError/StreamIdError
   * before touching any state when the frame is malformed; file-system failures are counted in
   * `write_errors`, logged, and the frame is dropped.
   */
  async handleFrame(frame: RecordableFrame): Promise<void> {
    this.counters.frames_received += 1;
    const flow = frame.flowControl();
    // EndProcessing is never written by G3Writer (g3-format.md §2.1); senders never send it.
    const keep = flow === undefined && !frame.hasKey(FLOW_CONTROL_KEY)
      && frame.type !== FRAME_TYPE.PipelineInfo && frame.type !== FRAME_TYPE.EndProcessing;
    const streamId = keep ? checkStreamId(frame.streamId()) : undefined;
    if (flow === FlowControl.Start) await this.closeFile('START');
    if (flow === FlowControl.End) {
      await this.closeFile('END');
      this.lastMeta = undefined;
    }
    if (flow === FlowControl.Cleanse) this.opts.log.debug('I saw a CLEANSE frame.');
    if (!keep) this.counters.frames_dropped += 1;
    await this.checkGap();
    if (!keep) return;
    if (!this.dataReceived) {
      this.dataReceived = true;
      this.opts.log.info({ source: this.opts.source }, `Started receiving frames from ${this.opts.source ?? 'stream'}`);
    }
    try {
      if (this.file === undefined) await this.createFile(streamId ?? this.opts.streamId);
      await this.write(frame);
      await this.splitIfDue();
    } catch (err) {
      if (!(err instanceof WriteError)) throw err;
      await this.onWriteError(err);
    }
  }

  /** Close the file if nothing was written for more than the gap (spec B3.2 step 2). */
  async checkGap(): Promise<void> {
    if (this.file === undefined || this.lastWriteAt === undefined) return;
    if (this.now() - this.lastWriteAt > this.gap) await this.closeFile('gap');
  }

  /** End of stream, clean or not (spec B3.2): close the file; the next frame starts afresh. */
  async endOfStream(): Promise<void> {
    if (this.dataReceived) {
      this.opts.log.info('Could not read frames. Connection timed out, or G3NetworkSender offline. Cleaning up...');
    }
    this.dataReceived = false;
    await this.closeFile('end of stream');
  }

  /** Stop: close the open file. */
  async close(): Promise<void> {
    await this.closeFile('stop');
  }

  private async createFile(streamId: string): Promise<void> {
    const start = this.now();
    // compat: spec B3.3, a new file in the same second as the last one bumps the suffix.
    if (this.lastFileSecond === Math.floor(start)) this.suffix += 1;
    if (this.suffix === 0) {
      this.dirname = acquisitionDir(this.opts.dataDir, start, streamId);
      this.basename = Math.floor(start);
    }
    await mkdir(this.dirname, { recursive: true }).catch((err: unknown) => {
      throw new WriteError(this.dirname, 'cannot create directory', { cause: err });
    });
    let file: FrameFile | undefined;
    // Fix of the spec B3.5 overwrite [FLAW]: never truncate, take the first free suffix.
    for (;;) {
      const p = path.join(this.dirname, fileName(this.basename, this.suffix));
      file = await FrameFile.create(p, start, { md5: this.opts.md5 ?? false });
      if (file) break;
      this.opts.log.warn({ path: p }, 'File exists, using the next suffix');
      this.suffix += 1;
    }
    this.file = file;
    this.startTime = start;
    this.lastFileSecond = Math.floor(start);
    this.counters.files_opened += 1;
    this.opts.log.info({ path: file.path }, `Writing to file ${file.path}`);
    await this.opts.onOpen?.(file.path);
    if (this.lastMeta) await this.writeChunks(this.lastMeta);
  }

  private async write(frame: RecordableFrame): Promise<void> {
    const chunks = frame.chunks();
    // Copy: the decoder may reuse its buffers, and this frame is kept for the next files.
    if (frame.type === FRAME_TYPE.Observation) this.lastMeta = chunks.map((c) => Uint8Array.from(c));
    await this.writeChunks(chunks);
  }

  private async writeChunks(chunks: readonly Uint8Array[]): Promise<void> {
    const file = this.file;
    if (!file) return;
    const before = file.byteCount;
    await file.writeFrame(chunks);
    this.counters.frames_written += 1;
    this.counters.bytes_written += file.byteCount - before;
    this.lastWriteAt = this.now();
    this.lastFrameTime = this.lastWriteAt;
  }

  private async splitIfDue(): Promise<void> {
    if (this.file === undefined || this.now() - this.startTime <= this.opts.timePerFile) return;
    const next = this.suffix + 1;
    await this.closeFile('time-per-file');
    this.suffix = next; // compat: spec B3.4, the next file of the acquisition gets _<n+1>
  }

  private async closeFile(reason: string): Promise<void> {
    const file = this.file;
    this.file = undefined;
    this.suffix = 0;
    if (!file) return;
    let info: ClosedFile;
    try {
      info = await file.close();
    } catch (err) {
      await this.onWriteError(err as WriteError);
      return;
    }
    this.counters.files_closed += 1;
    this.opts.log.info({ path: info.path, frames: info.frames, bytes: info.bytes, reason }, 'File closed.');
    await this.opts.onClose?.(info);
  }

  private async onWriteError(err: WriteError): Promise<void> {
    this.counters.write_errors += 1;
    this.lastWriteError = err;
    this.lastWriteErrorTime = this.now();
    this.opts.log.error({ err }, 'Write failed; file closed, frame dropped');
    await this.closeFile('write error');
  }
}

/** A stream-id must be one safe path component. */
function checkStreamId(id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  if (id === '' || id === '.' || id === '..' || /[/\\\0]/.test(id)) {
    throw new StreamIdError(`sostream_id ${JSON.stringify(id)} is not a usable directory name`);
  }
  return id;
}
