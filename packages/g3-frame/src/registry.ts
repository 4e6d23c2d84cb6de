/**
 * Item blobs (g3-format.md §2.2): `u8 1`, polymorphic pointer (§1.1), object. Decoding picks the
 * class by name; unknown classes become {@link G3Opaque} and are written back unchanged.
 */
import { ArchiveReader, ArchiveWriter } from './archive.js';
import { G3DecodeError, G3Error } from './errors.js';
import { G3FrameObject, G3Opaque } from './object.js';
import { G3Bool, G3Double, G3Int, G3String, G3Time } from './scalars.js';
import { G3VectorBool, G3VectorDouble, G3VectorInt, G3VectorString, G3VectorTime, G3VectorUnsignedChar } from './vectors.js';
import { G3MapDouble, G3MapInt, G3MapString, G3MapVectorDouble, G3MapVectorString } from './maps.js';
import { G3Timestream } from './timestream.js';
import { G3TimestreamMap } from './timestream-map.js';
import { G3MapFrameObject, G3TimesampleMap } from './frame-object-map.js';
import { G3SuperTimestream } from './super-timestream.js';
import { G3MapMapDouble, G3MapTime, G3MapVectorBool, G3MapVectorInt, G3VectorComplexDouble } from './maps-extra.js';

type Decoder = (r: ArchiveReader) => G3FrameObject;

let decoders: Map<string, Decoder> | undefined;

/** Built lazily: the class modules import this one (nested archives), so avoid init-order issues. */
function table(): Map<string, Decoder> {
  decoders ??= new Map<string, Decoder>([
    ['G3Int', G3Int.decode],
    ['G3Double', G3Double.decode],
    ['G3String', G3String.decode],
    ['G3Bool', G3Bool.decode],
    ['G3Time', G3Time.decode],
    ['G3VectorDouble', G3VectorDouble.decode],
    ['G3VectorInt', G3VectorInt.decode],
    ['G3VectorString', G3VectorString.decode],
    ['G3VectorBool', G3VectorBool.decode],
    ['G3VectorUnsignedChar', G3VectorUnsignedChar.decode],
    ['G3VectorTime', G3VectorTime.decode],
    ['G3MapDouble', G3MapDouble.decode],
    ['G3MapString', G3MapString.decode],
    ['G3MapInt', G3MapInt.decode],
    ['G3MapVectorDouble', G3MapVectorDouble.decode],
    ['G3MapVectorString', G3MapVectorString.decode],
    ['G3Timestream', G3Timestream.decode],
    ['G3TimestreamMap', G3TimestreamMap.decode],
    ['G3MapFrameObject', G3MapFrameObject.decode],
    ['G3TimesampleMap', G3TimesampleMap.decode],
    ['G3SuperTimestream', G3SuperTimestream.decode],
    ['G3VectorComplexDouble', G3VectorComplexDouble.decode],
    ['G3MapVectorBool', G3MapVectorBool.decode],
    ['G3MapVectorInt', G3MapVectorInt.decode],
    ['G3MapMapDouble', G3MapMapDouble.decode],
    ['G3MapTime', G3MapTime.decode],
  ]);
  return decoders;
}

/** Names of the classes this package decodes (others stay {@link G3Opaque}). */
export function decodableClasses(): string[] {
  return [...table().keys()];
}

/**
 * Class name in a blob's pointer header, without decoding the object.
 * @throws G3Error if the header itself is malformed
 */
export function blobClassName(blob: Uint8Array, offset = 0): string {
  const r = new ArchiveReader(blob, offset);
  r.readEndian();
  return r.pointer().className ?? '';
}

/**
 * Decode one item blob. Unknown classes return {@link G3Opaque} holding the blob.
 * @param offset byte offset of the blob in the stream, for error messages
 * @throws G3Error (G3_ERR_DECODE, G3_ERR_TRUNCATED, G3_ERR_BAD_LENGTH, G3_ERR_VERSION, G3_ERR_FLAC)
 */
export function decodeBlob(blob: Uint8Array, offset = 0): G3FrameObject {
  const r = new ArchiveReader(blob, offset);
  r.readEndian();
  const at = r.pos;
  const p = r.pointer();
  if (p.className === undefined) throw new G3DecodeError('null pointer as frame item', { offset: offset + at });
  if (!p.isNew) throw new G3DecodeError('frame item is a back-reference', { offset: offset + at });
  const dec = table().get(p.className);
  if (!dec) return new G3Opaque(p.className, blob);
  try {
    return dec(r);
  } catch (e) {
    if (e instanceof G3Error) throw e;
    // A RangeError from a typed-array constructor etc. on corrupt input: still a typed error.
    throw new G3DecodeError(`cannot decode ${p.className}: ${(e as Error).message}`, { offset, cause: e });
  }
}

/** Encode a value as a complete item blob (§2.2). Opaque values return their blob unchanged. */
export function encodeBlob(obj: G3FrameObject): Uint8Array {
  if (obj instanceof G3Opaque) return obj.blob;
  const w = new ArchiveWriter(obj.encodedSizeHint());
  encodeBlobInto(w, obj);
  return w.result();
}

/** @internal Append `obj`'s blob to `w` as a new archive (§2.2). */
export function encodeBlobInto(w: ArchiveWriter, obj: G3FrameObject): void {
  if (obj instanceof G3Opaque) return w.raw(obj.blob);
  w.newArchive();
  w.u8(1);
  w.newPointer(obj.className);
  obj.encodeBody(w);
}
