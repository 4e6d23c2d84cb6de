/**
 * Frame envelope (g3-format.md §2): split one frame off a byte buffer, check its CRC (encoders:
 * frame-encoder.ts). Layout: `u8 1, u32 version=1, u32 n_keys, u32 type, n × (str key, bytes blob), u32 crc`.
 */
import { crc32cRaw } from './crc32c.js';
import { G3BadLengthError, G3CrcError, G3GarbageError, G3TruncatedError, G3VersionError } from './errors.js';
import { G3Frame, type FrameEntry } from './frame.js';
import { MIN_FRAME_BYTES } from './frame-encoder.js';

export { MIN_FRAME_BYTES, encodeFrame, encodeFramePieces, type EncodeOptions, type KeyOrder } from './frame-encoder.js';

/** Default upper bound on one frame's size (G3_ERR_BAD_LENGTH above it). */
export const DEFAULT_MAX_FRAME_BYTES = 0x7fffffff;

/** Options of frame parsing. */
export interface ParseOptions {
  /** Reject frames larger than this many bytes (default 2 GiB − 1). */
  maxFrameBytes?: number;
  /** Check the CRC (default true). */
  verifyCrc?: boolean;
}

/** Result of {@link scanFrame}: the frame length, or `undefined` if more bytes are needed. */
export type ScanResult = number | undefined;

/** Filled by {@link scanFrame} when a frame is incomplete: a lower bound of its total length. */
export interface ScanHint {
  atLeast: number;
}

function u64At(b: Uint8Array, dv: DataView, p: number, limit: number, what: string, base: number): number {
  const lo = dv.getUint32(p, true);
  const hi = dv.getUint32(p + 4, true);
  if (hi !== 0 || lo > limit) throw new G3BadLengthError(what, (BigInt(hi) << 32n) | BigInt(lo), limit, { offset: base + p });
  return lo;
}

/**
 * Find the length of the frame starting at `start` in `b[start, end)` by walking its length
 * fields, without reading blobs. Returns `undefined` if the frame is incomplete.
 * @param base stream offset of `b[0]`, for error offsets
 * @throws G3GarbageError / G3VersionError on a bad start, G3BadLengthError on oversize lengths
 */
export function scanFrame(
  b: Uint8Array,
  start: number,
  end: number,
  base = 0,
  maxFrameBytes = DEFAULT_MAX_FRAME_BYTES,
  hint?: ScanHint,
): ScanResult {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (hint) hint.atLeast = MIN_FRAME_BYTES;
  if (end - start < 1) return undefined;
  if (b[start] !== 1) throw new G3GarbageError(`endianness byte 0x${b[start]!.toString(16)}`, { offset: base + start });
  if (end - start < 13) return undefined;
  const version = dv.getUint32(start + 1, true);
  if (version !== 1) {
    if (version > 1 && version < 256) throw new G3VersionError('G3Frame', version, 1, { offset: base + start + 1 });
    throw new G3GarbageError(`frame version ${version}`, { offset: base + start + 1 });
  }
  const nKeys = dv.getUint32(start + 5, true);
  if (nKeys > 0x7fffffff || nKeys * 16 + MIN_FRAME_BYTES > maxFrameBytes) {
    throw new G3BadLengthError('n_keys', nKeys, Math.floor((maxFrameBytes - MIN_FRAME_BYTES) / 16), { offset: base + start + 5 });
  }
  let p = start + 13;
  for (let i = 0; i < nKeys; i++) {
    for (const what of ['key length', 'blob length']) {
      if (end - p < 8) return undefined;
      const n = u64At(b, dv, p, maxFrameBytes - (p + 8 - start) - 4, what, base);
      p += 8 + n;
      if (hint) hint.atLeast = p - start + 4 + (nKeys - i - 1) * 16 + (what === 'key length' ? 8 : 0);
    }
  }
  if (end - p < 4) return undefined;
  return p + 4 - start;
}

/**
 * Parse a complete frame of `length` bytes at `start` (as found by {@link scanFrame}). Keys and
 * blobs are views into `b` (no copy); the frame keeps `b.subarray(start, start+length)` as raw.
 * @throws G3CrcError if the CRC does not match (and `verifyCrc` is not false)
 */
export function parseFrame(b: Uint8Array, start: number, length: number, base = 0, verifyCrc = true): G3Frame {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const nKeys = dv.getUint32(start + 5, true);
  const type = dv.getUint32(start + 9, true);
  const entries: FrameEntry[] = [];
  let crc = 0;
  let p = start + 13;
  for (let i = 0; i < nKeys; i++) {
    const kl = dv.getUint32(p, true);
    const keyBytes = b.subarray(p + 8, p + 8 + kl);
    p += 8 + kl;
    const bl = dv.getUint32(p, true);
    const blob = b.subarray(p + 8, p + 8 + bl);
    entries.push({ keyBytes, blob, value: undefined, blobOffset: base + p + 8 });
    p += 8 + bl;
    if (verifyCrc) crc = crc32cRaw(crc32cRaw(crc, keyBytes), blob);
  }
  const recorded = dv.getUint32(p, true);
  if (verifyCrc && recorded !== crc) throw new G3CrcError(recorded, crc, { offset: base + start });
  return G3Frame.fromParts(type, entries, b.subarray(start, start + length), base + start);
}

/**
 * Decode all frames of a complete in-memory byte stream (file contents).
 * @throws G3Error on the first bad frame; G3TruncatedError if it ends inside a frame
 */
export function decodeFrames(bytes: Uint8Array, opts: ParseOptions = {}): G3Frame[] {
  const out: G3Frame[] = [];
  let p = 0;
  while (p < bytes.length) {
    const len = scanFrame(bytes, p, bytes.length, 0, opts.maxFrameBytes);
    if (len === undefined) throw truncatedAt(bytes.length - p, p);
    out.push(parseFrame(bytes, p, len, 0, opts.verifyCrc ?? true));
    p += len;
  }
  return out;
}

/** @internal */
export function truncatedAt(available: number, offset: number): G3TruncatedError {
  return new G3TruncatedError(available + 1, available, { offset });
}
