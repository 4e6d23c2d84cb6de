/**
 * Adapter from a decoded g3-frame {@link G3Frame} to the recorder's {@link RecordableFrame}. Only
 * the two small items the recorder needs (`sostream_flowcontrol`, `sostream_id`) are ever decoded;
 * everything else, including the detector `data`, stays an opaque blob (spec B2.2).
 */
import { crc32cRaw, flowControlOf, G3Error, libstdcxxOrder, type G3Frame } from '@smurf-ocs/g3-frame';
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

  chunks(): readonly Uint8Array[] {
    const raw = this.frame.raw;
    if (this.keyOrder === 'wire' && raw) return [raw];
    return libstdcxxChunks(this.frame);
  }
}

/**
 * The bytes g3-frame's `recordedFrameBytes(frame)` returns (spt3g G3Writer after reading: the
 * received blobs in libstdc++ key order, new CRC; g3-format.md §2, §2.4), as pieces for one
 * `writev` so multi-MB blobs are not copied: `[header+key0 lengths] [blob0] [key1 ...] ... [crc]`.
 * Checked against g3-frame and fixture smurf_sim_recorded.g3 in test/received-frame.test.ts.
 */
export function libstdcxxChunks(frame: G3Frame): Uint8Array[] {
  const keys = frame.keys();
  const keyBytes = keys.map((k) => Buffer.from(k, 'utf8'));
  const order = libstdcxxOrder(keyBytes);
  const out: Uint8Array[] = [];
  let head = Buffer.allocUnsafe(13);
  head[0] = 1;
  head.writeUInt32LE(1, 1);
  head.writeUInt32LE(keys.length, 5);
  head.writeUInt32LE(frame.type, 9);
  let crc = 0;
  for (const i of order) {
    const key = keyBytes[i]!;
    const blob = frame.getBlob(keys[i]!)!;
    const lens = Buffer.allocUnsafe(16 + key.length);
    lens.writeBigUInt64LE(BigInt(key.length), 0);
    key.copy(lens, 8);
    lens.writeBigUInt64LE(BigInt(blob.length), 8 + key.length);
    out.push(Buffer.concat([head, lens]), blob);
    head = Buffer.alloc(0);
    crc = crc32cRaw(crc32cRaw(crc, key), blob);
  }
  const tail = Buffer.allocUnsafe(4);
  tail.writeUInt32LE(crc >>> 0, 0);
  out.push(Buffer.concat([head, tail]));
  return out;
}
