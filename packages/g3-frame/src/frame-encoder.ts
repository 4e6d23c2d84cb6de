/**
 * Frame serialization (g3-format.md §2): `u8 1, u32 version=1, u32 n_keys, u32 type,
 * n × (u64 key length, key, u64 blob length, blob), u32 crc`, in insertion order or in the
 * libstdc++ `unordered_map` order spt3g writes (§2.4). Two shapes: one contiguous buffer
 * ({@link encodeFrame}) or pieces for a gathered write ({@link encodeFramePieces}).
 */
import { ArchiveWriter } from './archive.js';
import { crc32cRaw } from './crc32c.js';
import type { FrameEntry, G3Frame } from './frame.js';
import { libstdcxxOrder } from './key-order.js';
import { encodeBlob, encodeBlobInto } from './registry.js';

/** Smallest frame: no keys (17 bytes). */
export const MIN_FRAME_BYTES = 17;
/** Blobs at least this large are separate pieces in {@link encodeFramePieces}; smaller ones are copied. */
const PIECE_MIN_BLOB = 16 * 1024;

/** Key order used when encoding. */
export type KeyOrder = 'insertion' | 'libstdc++';

/** Options of {@link encodeFrame} and {@link encodeFramePieces}. */
export interface EncodeOptions {
  /**
   * `insertion` (default): keys in the frame's order (file order for frames that were read); an
   * unmodified frame that was read is returned as its raw bytes. `libstdc++`: the order spt3g
   * (GCC build) would write after inserting the keys in the frame's order (§2.4).
   */
  keyOrder?: KeyOrder;
  /** Re-encode values from their decoded objects instead of reusing blobs (testing aid). */
  reencodeValues?: boolean;
}

function orderedEntries(frame: G3Frame, order: KeyOrder): Array<[string, FrameEntry]> {
  const items = [...frame.entries];
  if (order !== 'libstdc++') return items;
  return libstdcxxOrder(items.map(([, e]) => e.keyBytes)).map((i) => items[i]!);
}

/**
 * Serialize a frame (§2) into one buffer. Unmodified read frames with insertion order return
 * `frame.raw` (no copy). Blobs of untouched items are reused byte-identical; values set in code
 * are encoded straight into the frame buffer, which is allocated once from a size estimate, and
 * their blobs are cached in the frame as views of the result (so do not modify the result).
 * @throws G3EncodeError if a value cannot be encoded
 */
export function encodeFrame(frame: G3Frame, opts: EncodeOptions = {}): Uint8Array {
  const order = opts.keyOrder ?? 'insertion';
  const reencode = opts.reencodeValues ?? false;
  if (order === 'insertion' && frame.raw && !reencode) return frame.raw;
  const items = orderedEntries(frame, order);
  let estimate = MIN_FRAME_BYTES;
  for (const [, e] of items) {
    estimate += 16 + e.keyBytes.length + (e.blob && !reencode ? e.blob.length : (e.value?.encodedSizeHint() ?? e.blob!.length));
  }
  const w = new ArchiveWriter(estimate);
  w.u8(1);
  w.u32(1);
  w.u32(items.length);
  w.u32(frame.type);
  let crc = 0;
  const fresh: Array<[FrameEntry, number, number]> = [];
  for (const [key, e] of items) {
    w.bytes(e.keyBytes);
    crc = crc32cRaw(crc, e.keyBytes);
    const lenAt = w.pos;
    w.u64(0);
    const at = w.pos;
    if (e.blob && !reencode) w.raw(e.blob);
    else {
      encodeBlobInto(w, reencode ? frame.get(key)! : e.value!);
      if (!reencode) fresh.push([e, at, w.pos]);
    }
    w.view.setUint32(lenAt, w.pos - at, true);
    crc = crc32cRaw(crc, w.buf.subarray(at, w.pos));
  }
  w.u32(crc);
  const out = w.result();
  for (const [e, a, b] of fresh) e.blob = out.subarray(a, b);
  return out;
}

/**
 * Serialize a frame (§2) as pieces whose concatenation equals {@link encodeFrame}'s result, for
 * a gathered write (`writev`) without copying large blobs: `[header, key 0 lengths…] [blob 0]
 * [key 1 …] … [crc]`. Blobs of at least 16 KiB are the frame's own blob views (not copied);
 * smaller ones and all headers are copied into one small buffer. An unmodified read frame in
 * insertion order is `[frame.raw]`. The pieces must not be modified.
 * @throws G3EncodeError if a value cannot be encoded
 */
export function encodeFramePieces(frame: G3Frame, opts: EncodeOptions = {}): Uint8Array[] {
  const order = opts.keyOrder ?? 'insertion';
  if (order === 'insertion' && frame.raw && !opts.reencodeValues) return [frame.raw];
  const items = orderedEntries(frame, order);
  const blobs = items.map(([key]) => (opts.reencodeValues ? encodeBlob(frame.get(key)!) : frame.getBlob(key)!));
  let small = MIN_FRAME_BYTES;
  items.forEach(([, e], i) => {
    small += 16 + e.keyBytes.length + (blobs[i]!.length < PIECE_MIN_BLOB ? blobs[i]!.length : 0);
  });
  const buf = new Uint8Array(small);
  const dv = new DataView(buf.buffer);
  buf[0] = 1;
  dv.setUint32(1, 1, true);
  dv.setUint32(5, items.length, true);
  dv.setUint32(9, frame.type, true);
  const pieces: Uint8Array[] = [];
  let p = 13;
  let from = 0;
  let crc = 0;
  items.forEach(([, e], i) => {
    const key = e.keyBytes;
    const blob = blobs[i]!;
    dv.setUint32(p, key.length, true);
    dv.setUint32(p + 4, 0, true);
    buf.set(key, p + 8);
    p += 8 + key.length;
    dv.setUint32(p, blob.length, true);
    dv.setUint32(p + 4, 0, true);
    p += 8;
    crc = crc32cRaw(crc32cRaw(crc, key), blob);
    if (blob.length < PIECE_MIN_BLOB) {
      buf.set(blob, p);
      p += blob.length;
    } else {
      pieces.push(buf.subarray(from, p), blob);
      from = p;
    }
  });
  dv.setUint32(p, crc, true);
  pieces.push(buf.subarray(from, p + 4));
  return pieces;
}
