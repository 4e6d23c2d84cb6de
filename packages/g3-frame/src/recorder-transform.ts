/**
 * What the socs SMuRF recorder does to each received frame (g3-format.md §6.3,
 * suprsync-recorder.md §B2.2/§B3): frames carrying `sostream_flowcontrol` (any type) and
 * PipelineInfo frames are dropped; the rest are re-serialized as spt3g's G3Writer would after
 * reading them, i.e. with the libstdc++ key order of §2.4 (same blobs, new order and CRC).
 */
import { encodeFrame } from './envelope.js';
import { FLOW_CONTROL_KEY, FrameType } from './frame-type.js';
import type { G3Frame } from './frame.js';

/** True if the Python recorder would write this frame (not flow control, not PipelineInfo). */
export function recorderKeepsFrame(frame: G3Frame): boolean {
  if (frame.type === FrameType.PipelineInfo || frame.type === FrameType.EndProcessing) return false;
  return !frame.has(FLOW_CONTROL_KEY);
}

/**
 * The bytes spt3g's G3Writer writes for a frame it read from the stream: the received blobs in
 * the libstdc++ key order obtained by inserting the keys in received order (§2.4).
 */
export function recordedFrameBytes(frame: G3Frame): Uint8Array {
  return encodeFrame(frame, { keyOrder: 'libstdc++' });
}

/**
 * Apply the recorder transformation to a sequence of received frames: drop flow-control and
 * PipelineInfo frames, re-serialize the rest like spt3g. Concatenating the result gives the file
 * the Python recorder writes (file splitting and Observation re-insertion are the recorder's job).
 */
export function* recordStream(frames: Iterable<G3Frame>): Generator<Uint8Array> {
  for (const f of frames) if (recorderKeepsFrame(f)) yield recordedFrameBytes(f);
}
