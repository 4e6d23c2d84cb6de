/**
 * `@smurf-ocs/smurf-recorder`: the SMuRF Recorder agent (suprsync-recorder.md Part B) and its
 * library parts (usable without WAMP).
 */
export { smurfRecorderAgent, type RecorderAgentState } from './agent.js';
export { recorderArgs, parseBoolish } from './args.js';
export * from './errors.js';
export { FlowControl, FLOW_CONTROL_KEY, STREAM_ID_KEY, parseFlowControl } from './flow-control.js';
export { timecodeDir, fileName, acquisitionDir, remotePathOf } from './file-naming.js';
export { FrameFile, type ClosedFile, type FrameFileOptions } from './frame-file.js';
export {
  FrameRecorder, FRAME_TYPE, type RecordableFrame, type FrameRecorderOptions, type RecorderCounters, type CurrentFile,
} from './frame-recorder.js';
export { ReceivedFrame, type FrameKeyOrder } from './received-frame.js';
export { StreamConnection, type StreamOptions, type StreamEndReason } from './stream-reader.js';
export { RecordLoop, type RecordLoopOptions, type ConnectionState, type FaultInfo } from './record-loop.js';
export { SessionDataBuilder, type RecordSessionData } from './session-data.js';
export { SuprsyncRegistrar, type FileToRegister, type RegistrarCounters } from './suprsync-registrar.js';
export { OpenFileMarker, repairFile, type RecoveredFile } from './crash-recovery.js';
export { downsampleChannels, channelKey, MAX_MONITORED_CHANNELS, MAX_TARGET_RATE, type DetectorBlock } from './channel-monitor.js';
export { runRecording, type RecordingSettings, type RecordingContext } from './recording.js';
