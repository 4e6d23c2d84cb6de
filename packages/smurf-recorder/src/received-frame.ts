/**
 * Adapter from a decoded g3-frame {@link G3Frame} to the recorder's {@link RecordableFrame}. Only
 * the two small items the recorder needs (`sostream_flowcontrol`, `sostream_id`) are ever decoded;
 * everything else, including the detector `data`, stays an opaque blob (spec B2.2).
 */
import { encodeFramePieces, flowControlOf, G3Error, type G3Frame } from '@smurf-ocs/g3-frame';
import { FlowControlError, StreamIdError } from './errors.js';
import { FLOW_CONTROL_KEY, parseFlowControl, STREAM_ID_KEY, type FlowControl } from './flow-control.js';
import type { RecordableFrame } from './frame-recorder.js';

/**
 * How frames are serialized into files:
 * - `libstdc++` (default): the key order spt3g's G3Writer (GCC build) gives a frame it has read,
 *   so files are byte-identical to the Python recorder's (fixture smurf_sim_recorded.g3). Blobs
 *   are copied as received; only the entry order and the CRC change.
 * - `wire`: the received bytes, verbatim (spec B2.2 "recommended TS writer").
 */
export type FrameKeyOrder = 'libstdc++' | 'wire';

/** A frame read from the sender. */
export class ReceivedFrame implements RecordableFrame {
  constructor(readonly frame: G3Frame, private readonly keyOrder: FrameKeyOrder = 'libstdc++') {}

  get type(): number {
    return this.frame.type;
  }

  hasKey(key: string): boolean {
    return this.frame.has(key);
  }

  flowControl(): FlowControl | undefined {
    if (!this.frame.has(FLOW_CONTROL_KEY)) return undefined;
    let v: number | undefined;
    try {
      v = flowControlOf(this.frame);
    } catch (cause) {
      if (!(cause instanceof G3Error)) throw cause;
      throw new FlowControlError(`${FLOW_CONTROL_KEY} cannot be read: ${cause.message}`, { cause });
    }
    return parseFlowControl(v);
  }

  streamId(): string | undefined {
    try {
      return this.frame.getString(STREAM_ID_KEY);
    } catch (cause) {
      if (!(cause instanceof G3Error)) throw cause;
      throw new StreamIdError(`${STREAM_ID_KEY} cannot be read: ${cause.message}`, { cause });
    }
  }

  /**
   * The frame's file bytes as pieces for one `writev` (g3-frame `encodeFramePieces`: multi-MB
   * blobs are passed as views, not copied). `libstdc++` pieces concatenate to g3-frame's
   * `recordedFrameBytes(frame)`; `wire` is `[frame.raw]`.
   */
  chunks(): readonly Uint8Array[] {
    return encodeFramePieces(this.frame, { keyOrder: this.keyOrder === 'wire' ? 'insertion' : 'libstdc++' });
  }
}
