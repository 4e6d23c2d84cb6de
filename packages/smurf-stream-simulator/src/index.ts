/**
 * `@smurf-ocs/smurf-stream-simulator`: the SmurfStreamSimulator agent and its OCS-free parts
 * (frame builders and the streaming loop), usable directly by tests and benchmarks.
 *
 * @packageDocumentation
 */
export { smurfStreamSimulatorAgent, type SimulatorState, type StreamSessionData } from './agent.js';
export { simulatorArgs, parseFlagBool } from './args.js';
export { StreamLoop, type FrameSink, type StreamOptions, type StreamStats, type StreamLog } from './stream.js';
export {
  ScanBuilder,
  aliveFrame,
  startFrames,
  endFrames,
  flowControlFrame,
  spt3gFrame,
  samplesPerFrame,
  ctimeToTicks,
  channelKey,
  type ScanShape,
} from './frames.js';
export { ControlQueue, type ControlFlag } from './control-queue.js';
export { NoisePool, fillNormal, DEFAULT_POOL_SAMPLES } from './noise.js';
