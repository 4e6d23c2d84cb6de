/**
 * The frames the socs simulator sends (g3-format.md §6.1, suprsync-recorder.md §B7), built as
 * g3-frame {@link G3Frame}s, keys in the order spt3g puts them on the wire (§2.4). Readers do not
 * depend on key order; matching it makes the small frames byte-identical to Python's.
 */
import {
  FLOW_CONTROL_KEY,
  FlowControl,
  FrameType,
  G3Double,
  G3Frame,
  G3Int,
  G3String,
  G3Timestream,
  G3TimestreamMap,
  TICKS_PER_SECOND,
  TimestreamUnits,
  libstdcxxOrder,
  type G3FrameObject,
} from '@smurf-ocs/g3-frame';
import { NoisePool } from './noise.js';

/** Size and identity of the Scan frames. */
export interface ScanShape {
  /** Channels per Scan frame, keys `r0000 … r<numChans-1>` (`--num-chans`). */
  numChans: number;
  /** `sostream_id` of Observation and Scan frames (`--stream-id`). */
  streamId: string;
  /** Samples per second per channel (`sample_rate`, Hz). */
  sampleRate: number;
  /** Scan frames per second (`frame_rate`, Hz); a frame holds sampleRate/frameRate samples. */
  frameRate: number;
}

/**
 * A frame whose keys are inserted in the order spt3g (libstdc++ build) writes them after Python
 * inserted `items` in the given order (g3-format.md §2.4). g3-frame writes insertion order, so
 * flow-control and Observation frames come out byte-identical to the Python simulator's.
 */
export function spt3gFrame(type: FrameType, items: Array<[string, G3FrameObject]>): G3Frame {
  const order = libstdcxxOrder(items.map(([k]) => new TextEncoder().encode(k)));
  return new G3Frame(type, order.map((i) => items[i]!));
}

/** A `sostream_flowcontrol`-only frame of the given type (§6). */
export function flowControlFrame(type: FrameType, value: FlowControl): G3Frame {
  return spt3gFrame(type, [[FLOW_CONTROL_KEY, new G3Int(value)]]);
}

/** ALIVE keep-alive: `N {sostream_flowcontrol: 0}`. */
export function aliveFrame(): G3Frame {
  return flowControlFrame(FrameType.None, FlowControl.Alive);
}

/**
 * START then the Observation frame of a new stream:
 * `N {sostream_flowcontrol: 1}`, `O {session_id: G3Int 0, start_time: G3Double ctime, sostream_id}`.
 * @param startTime ctime (s) written as `start_time`
 */
export function startFrames(streamId: string, startTime: number): [G3Frame, G3Frame] {
  const observation = spt3gFrame(FrameType.Observation, [
    ['session_id', new G3Int(0)],
    ['start_time', new G3Double(startTime)],
    ['sostream_id', new G3String(streamId)],
  ]);
  return [flowControlFrame(FrameType.None, FlowControl.Start), observation];
}

/** END then the two CLEANSE frames: `N {…: 2}`, `O {…: 3}`, `W {…: 3}`. */
export function endFrames(): [G3Frame, G3Frame, G3Frame] {
  return [
    flowControlFrame(FrameType.None, FlowControl.End),
    flowControlFrame(FrameType.Observation, FlowControl.Cleanse),
    flowControlFrame(FrameType.Wiring, FlowControl.Cleanse),
  ];
}

/** Samples per channel in one Scan frame: round(sampleRate / frameRate), at least 1. */
export function samplesPerFrame(shape: Pick<ScanShape, 'sampleRate' | 'frameRate'>): number {
  return Math.max(1, Math.round(shape.sampleRate / shape.frameRate));
}

/** ctime seconds → G3Time ticks (10 ns), truncated toward zero as spt3g's `G3Time(double)`. */
export function ctimeToTicks(ctime: number): bigint {
  return BigInt(Math.trunc(ctime * Number(TICKS_PER_SECOND)));
}

/** Zero-padded channel key as Python's `f"r{i:04}"` (`r0000`, …, `r10000` past 9999). */
export function channelKey(i: number): string {
  return `r${String(i).padStart(4, '0')}`;
}

/**
 * Builds Scan frames cheaply: channel keys are computed once and samples are windows of a
 * pre-drawn {@link NoisePool} (no random draw per sample).
 */
export class ScanBuilder {
  /** Samples per channel per frame. */
  readonly nSamples: number;
  private readonly keys: string[];
  private readonly noise: NoisePool;
  private readonly streamId: G3String;
  private readonly spanTicks: bigint;
  private scanOrder: number[] | undefined;

  constructor(shape: ScanShape, noise?: NoisePool) {
    if (!Number.isInteger(shape.numChans) || shape.numChans < 0) throw new RangeError(`channel count must be an integer >= 0, got ${shape.numChans}`);
    if (!(shape.sampleRate > 0) || !Number.isFinite(shape.sampleRate)) throw new RangeError(`sample rate must be > 0 Hz, got ${shape.sampleRate}`);
    this.nSamples = samplesPerFrame(shape);
    this.keys = Array.from({ length: shape.numChans }, (_, i) => channelKey(i));
    this.noise = noise ?? new NoisePool(this.nSamples);
    this.streamId = new G3String(shape.streamId);
    // stop = time of the last sample, so G3Timestream's sample rate is exactly sampleRate.
    this.spanTicks = BigInt(Math.round(((this.nSamples - 1) / shape.sampleRate) * Number(TICKS_PER_SECOND)));
  }

  /**
   * `S {session_id: 0, frame_num, sostream_id, data: G3TimestreamMap}`; each channel holds
   * {@link ScanBuilder.nSamples} N(0,1) float64 samples, units None, start = `t0`,
   * stop = start + (n−1)/sampleRate.
   * @param frameNum `frame_num` value
   * @param start time of the first sample: G3 ticks (10 ns), or ctime seconds as a number
   */
  build(frameNum: number, start: bigint | number): G3Frame {
    if (typeof start === 'number') start = ctimeToTicks(start);
    const stop = start + this.spanTicks;
    const data = new Map<string, G3Timestream>();
    for (const key of this.keys) {
      data.set(key, new G3Timestream({ data: this.noise.window(this.nSamples), units: TimestreamUnits.None, start, stop }));
    }
    return new G3Frame(FrameType.Scan, this.order([
      ['session_id', new G3Int(0)],
      ['frame_num', new G3Int(frameNum)],
      ['sostream_id', this.streamId],
      ['data', new G3TimestreamMap(data)],
    ]));
  }

  /** Python inserts session_id, frame_num, sostream_id, data; spt3g's write order, computed once. */
  private order(items: Array<[string, G3FrameObject]>): Array<[string, G3FrameObject]> {
    this.scanOrder ??= libstdcxxOrder(items.map(([k]) => new TextEncoder().encode(k)));
    return this.scanOrder.map((i) => items[i]!);
  }
}
