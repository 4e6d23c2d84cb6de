/** Base of every G3 value class (C++ `G3FrameObject`, g3-format.md §1). */
import type { ArchiveWriter } from './archive.js';

/**
 * A value stored under a frame key. Subclasses mirror the spt3g classes of g3-format.md §3;
 * {@link G3Opaque} carries classes this package does not decode.
 */
export abstract class G3FrameObject {
  /** The registered C++ class name written in the blob (`G3Int`, `G3TimestreamMap`, ...). */
  abstract readonly className: string;
  /**
   * @internal Write `[version][base]` and the fields into `w` (the pointer header is already
   * written). Throws G3EncodeError for values that cannot be written.
   */
  abstract encodeBody(w: ArchiveWriter): void;
  /**
   * @internal Estimate of the encoded blob size in bytes (at least the real size for the large
   * classes), so encoders allocate once.
   */
  encodedSizeHint(): number {
    return 64;
  }
}

/**
 * A value of a class this package does not decode (or whose blob must be kept exactly). Written
 * back byte-identical: `blob` is the complete item archive of g3-format.md §2.2.
 */
export class G3Opaque extends G3FrameObject {
  constructor(
    /** Class name read from the blob's pointer header ('' if it could not be read). */
    readonly className: string,
    /** The complete blob (endianness byte, pointer, object). */
    readonly blob: Uint8Array,
  ) {
    super();
  }
  /** @internal Never called: opaque values are emitted as their blob. */
  encodeBody(): void {
    throw new Error('G3Opaque is written as its blob');
  }
  /** @internal */
  override encodedSizeHint(): number {
    return this.blob.length;
  }
}
