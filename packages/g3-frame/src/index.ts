/**
 * `@smurf-ocs/g3-frame`: the SPT-3G G3 frame format (shared/specs/g3-format.md) — envelope and
 * CRC, value classes, lazy decoding, files (.g3/.gz/.bz2/.xz), TCP streams. A pure leaf package.
 */
import { endianness } from 'node:os';

if (endianness() !== 'LE') throw new Error('@smurf-ocs/g3-frame requires a little-endian host');

export * from './errors.js';
export { crc32cRaw } from './crc32c.js';
export { FrameType, FlowControl, FLOW_CONTROL_KEY, frameTypeName, standardFrameTypeName, frameTypeFromString, adhocString } from './frame-type.js';
export { G3FrameObject, G3Opaque } from './object.js';
export { G3Int, G3Double, G3String, G3Bool, G3Time, TICKS_PER_SECOND } from './scalars.js';
export { G3VectorDouble, G3VectorInt, G3VectorString, G3VectorBool, G3VectorUnsignedChar, G3VectorTime } from './vectors.js';
export { storeBitsFor, type StoreBits } from './int-width.js';
export { G3MapDouble, G3MapString, G3MapInt, G3MapVectorDouble, G3MapVectorString, sortedKeys } from './maps.js';
export { G3VectorComplexDouble, G3MapVectorBool, G3MapVectorInt, G3MapMapDouble, G3MapTime } from './maps-extra.js';
export { G3Timestream, TimestreamUnits, type TimestreamData, type G3TimestreamInit } from './timestream.js';
export { G3TimestreamMap } from './timestream-map.js';
export { G3MapFrameObject, G3TimesampleMap } from './frame-object-map.js';
export { G3SuperTimestream, type SuperTimestreamData } from './super-timestream.js';
export { decodeBlob, encodeBlob, blobClassName, decodableClasses } from './registry.js';
export { decodeFlac, FLAC_MAX_SAMPLES } from './flac.js';
export { hashBytes, libstdcxxOrder, KEY_ORDER_MODEL_MAX_KEYS } from './key-order.js';
export { G3Frame, flowControlOf } from './frame.js';
export {
  encodeFrame,
  encodeFramePieces,
  decodeFrames,
  scanFrame,
  parseFrame,
  MIN_FRAME_BYTES,
  DEFAULT_MAX_FRAME_BYTES,
  type EncodeOptions,
  type KeyOrder,
  type ParseOptions,
  type ScanResult,
} from './envelope.js';
export { FrameDecoder, type FrameDecoderOptions } from './frame-decoder.js';
export { compressionForPath, type G3Compression } from './compression.js';
export { readG3File, readG3FileAll, type ReadFileOptions } from './file-reader.js';
export { G3FileWriter, type FileWriterOptions } from './file-writer.js';
export { recorderKeepsFrame, recordedFrameBytes, recordStream } from './recorder-transform.js';
export { G3NetworkSender, type NetworkSenderOptions } from './network-sender.js';
export { G3StreamReader, readG3Stream, parseTcpUrl, type StreamReaderOptions } from './network-reader.js';
export { runCli, type CliIo } from './cli.js';
export { formatFrame, formatValue, formatTime, abbreviate } from './format.js';
