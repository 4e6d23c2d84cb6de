/**
 * The streaming loop of the socs SMuRF stream simulator (suprsync-recorder.md §B7,
 * g3-format.md §6.1), without any OCS code: it drives a {@link FrameSink} (normally g3-frame's
 * G3NetworkSender) and is steered through its {@link ControlQueue}.
 *
 * One iteration, as in Python:
 * 1. head START → send START (`N`, flowcontrol 1) and an Observation frame; streaming; pop.
 * 2. send ALIVE (`N`, flowcontrol 0).
 * 3. streaming → wait one frame period, send a Scan frame; then head END → send END (`N`, 2),
 *    CLEANSE (`O`, 3), CLEANSE (`W`, 3); not streaming; pop.
 *    not streaming → wait 1 s (cut short when a flag is queued).
 * 4. head SHUTDOWN → pop and leave the loop.
 */
import { TICKS_PER_SECOND, type G3Frame } from '@smurf-ocs/g3-frame';
import { ControlQueue } from './control-queue.js';
import { aliveFrame, ctimeToTicks, endFrames, ScanBuilder, startFrames, type ScanShape } from './frames.js';

/** Where frames go; g3-frame's G3NetworkSender fits. `send` may return a promise, which is awaited. */
export interface FrameSink {
  send(frame: G3Frame): unknown;
}

/** The logging this module needs (a pino logger fits). */
export interface StreamLog {
  info(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
  isLevelEnabled?(level: string): boolean;
}

/** Settings of one streaming run (CLI flags + `stream` params). */
export interface StreamOptions extends ScanShape {
  /** Scan frames per second (`frame_rate`, Hz). */
  frameRate: number;
  /** Idle keep-alive period while not streaming, in ms (Python: 1000). */
  idlePeriodMs?: number;
  /** Clock, ctime seconds (injectable for tests). */
  now?: () => number;
  /** Lifecycle at info (START, END), each frame at debug. */
  log?: StreamLog;
}

/** Counters of one run, reported as `session.data` of the `stream` process. */
export interface StreamStats {
  /** True between START and END. */
  streaming: boolean;
  /** `frame_num` of the next Scan frame (counts from 0 for the whole run; not reset by stop/start). */
  frameNum: number;
  /** Frames handed to the sink, by kind. */
  framesSent: { alive: number; start: number; observation: number; scan: number; end: number; cleanse: number };
  /** ctime of the last Scan frame's first sample, or null before the first Scan. */
  lastScanStart: number | null;
}

/** The simulator loop. Create one per `stream` process run. */
export class StreamLoop {
  /** Requests for the loop (tasks `start`/`stop`, process stop). Starts as `[start]`. */
  readonly queue = new ControlQueue(['start']);
  /** Live counters of this run (see {@link StreamStats}). */
  readonly stats: StreamStats = {
    streaming: false,
    frameNum: 0,
    framesSent: { alive: 0, start: 0, observation: 0, scan: 0, end: 0, cleanse: 0 },
    lastScanStart: null,
  };
  private readonly scans: ScanBuilder;
  private readonly now: () => number;
  private readonly periodS: number;
  private readonly periodTicks: bigint;
  /** Scan schedule: Scan `index` starts at `anchor + index * period` (ctime s / G3 ticks). */
  private schedule: { anchor: number; anchorTicks: bigint; index: number } | undefined;
  private wake: (() => void) | undefined;

  constructor(
    private readonly sink: FrameSink,
    private readonly opts: StreamOptions,
  ) {
    if (!(opts.frameRate > 0) || !Number.isFinite(opts.frameRate)) throw new RangeError(`frame rate must be > 0 Hz, got ${opts.frameRate}`);
    this.scans = new ScanBuilder(opts);
    this.now = opts.now ?? (() => Date.now() / 1000);
    this.periodS = 1 / opts.frameRate;
    this.periodTicks = BigInt(Math.round(this.periodS * Number(TICKS_PER_SECOND)));
  }

  /** True between START and END. */
  get streaming(): boolean {
    return this.stats.streaming;
  }

  /**
   * Runs until SHUTDOWN is consumed. `signal` is a hard stop (agent close): it ends every wait
   * at once and leaves without sending END.
   */
  async run(signal?: AbortSignal): Promise<void> {
    const off = this.queue.onPush(() => this.wake?.());
    const onAbort = (): void => this.wake?.();
    signal?.addEventListener('abort', onAbort);
    try {
      while (!signal?.aborted && (await this.iterate(signal))) {
        // one iteration per frame period (streaming) or per idle period
      }
    } finally {
      off();
      signal?.removeEventListener('abort', onAbort);
    }
  }

  private async iterate(signal?: AbortSignal): Promise<boolean> {
    if (this.queue.head() === 'start') {
      await this.sendStart();
      this.queue.pop();
    }
    await this.send(aliveFrame(), 'alive');
    if (this.stats.streaming) {
      await this.sendScan(signal);
      if (this.queue.head() === 'end') await this.sendEnd();
    } else {
      // compat fix (§B7 [FLAW]): a forced END while stopped is sent and consumed here; Python
      // left it at the head forever, blocking START and SHUTDOWN.
      if (this.queue.head() === 'end') await this.sendEnd();
      await this.sleepIdle(signal);
    }
    if (this.queue.head() === 'shutdown') {
      this.queue.pop();
      return false;
    }
    return true;
  }

  private async sendStart(): Promise<void> {
    this.opts.log?.info({ stream_id: this.opts.streamId }, 'Sending START flowcontrol frame');
    const [start, observation] = startFrames(this.opts.streamId, this.now());
    await this.send(start, 'start');
    await this.send(observation, 'observation');
    this.stats.streaming = true;
  }

  private async sendEnd(): Promise<void> {
    this.opts.log?.info({ frame_num: this.stats.frameNum }, 'Sending END and CLEANSE flowcontrol frames');
    const [end, cleanseO, cleanseW] = endFrames();
    await this.send(end, 'end');
    await this.send(cleanseO, 'cleanse');
    await this.send(cleanseW, 'cleanse');
    this.stats.streaming = false;
    this.schedule = undefined;
    this.queue.pop();
  }

  /**
   * Waits for the end of the frame period, then sends the Scan covering it. Periods follow a
   * fixed schedule anchored at the first Scan after START (no drift, exact tick spacing); after
   * a stall of more than a period the schedule restarts from now.
   */
  private async sendScan(signal?: AbortSignal): Promise<void> {
    const now = this.now();
    let s = this.schedule;
    if (s === undefined || now - (s.anchor + s.index * this.periodS) > 2 * this.periodS) {
      s = this.schedule = { anchor: now, anchorTicks: ctimeToTicks(now), index: 0 };
    }
    const t0 = s.anchor + s.index * this.periodS;
    await sleep((t0 + this.periodS - now) * 1000, signal);
    if (signal?.aborted) return;
    const startTicks = s.anchorTicks + BigInt(s.index) * this.periodTicks;
    await this.send(this.scans.build(this.stats.frameNum, startTicks), 'scan');
    this.stats.frameNum += 1;
    this.stats.lastScanStart = t0;
    s.index += 1;
  }

  private async sleepIdle(signal?: AbortSignal): Promise<void> {
    if (this.queue.head() !== undefined) return; // something to do already
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, this.opts.idlePeriodMs ?? 1000);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
      if (signal?.aborted) done();
    });
    this.wake = undefined;
  }

  private async send(frame: G3Frame, kind: keyof StreamStats['framesSent']): Promise<void> {
    await this.sink.send(frame);
    this.stats.framesSent[kind] += 1;
    const log = this.opts.log;
    if (log && (log.isLevelEnabled?.('debug') ?? false)) log.debug({ kind, frame_num: this.stats.frameNum }, 'frame sent');
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(finish, ms);
    signal?.addEventListener('abort', finish, { once: true });
    function finish(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', finish);
      resolve();
    }
  });
}
