/**
 * One cereal portable-binary archive (g3-format.md §1): the per-archive class-version table, the
 * polymorphic-type table and the shared-pointer table, over a {@link ByteReader} / {@link ByteWriter}.
 * Each item blob is its own archive (§2.2); nested archives (G3MapFrameObject values) too.
 */
import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { G3DecodeError, G3VersionError } from './errors.js';

/** Polymorphic pointer id flags (§1.1). */
export const PTR_NEW_NAME = 0x80000000;
/** Dynamic class equals the static class: no name follows (§1.1). */
export const PTR_SAME_CLASS = 0x40000000;

/** Result of reading a polymorphic pointer header (§1.1). */
export interface PointerHeader {
  /** Class name (from the name table, or the static class for `0x40000000`). */
  className: string | undefined;
  /** True if a new object follows; false for a back-reference or null. */
  isNew: boolean;
  /** Object id (k) within the archive; 0 for null. */
  objectId: number;
}

/** @internal Reading side of an archive. */
export class ArchiveReader extends ByteReader {
  private readonly versions = new Map<string, number>();
  private readonly names: string[] = [];

  /** Start of an archive: the endianness byte (only little-endian is supported). */
  readEndian(): void {
    const at = this.pos;
    const e = this.u8();
    if (e !== 1) throw new G3DecodeError(`unsupported archive endianness flag ${e} (big-endian data not supported)`, { offset: this.base + at });
  }

  /**
   * The class version of `className`: read as u32 the first time it is met in this archive,
   * remembered afterwards (§1). Throws G3_ERR_VERSION if newer than `max`.
   */
  version(className: string, max: number): number {
    const known = this.versions.get(className);
    if (known !== undefined) return known;
    const at = this.pos;
    const v = this.u32();
    if (v > max) throw new G3VersionError(className, v, max, { offset: this.base + at });
    this.versions.set(className, v);
    return v;
  }

  /** `[vN][base]` header of a G3FrameObject subclass; returns the class version. */
  objectHeader(className: string, max: number): number {
    const v = this.version(className, max);
    this.version('G3FrameObject', 1);
    return v;
  }

  /** Polymorphic shared pointer header (§1.1). `staticClass` is used for `0x40000000`. */
  pointer(staticClass?: string): PointerHeader {
    const at = this.pos;
    const id = this.u32();
    if (id === 0) return { className: undefined, isNew: false, objectId: 0 };
    let className: string | undefined;
    if (id === PTR_SAME_CLASS) {
      className = staticClass;
      if (className === undefined) throw new G3DecodeError('pointer with static-class id where none is known', { offset: this.base + at });
    } else if ((id & PTR_NEW_NAME) !== 0) {
      const n = id & 0x7fffffff;
      if (n !== this.names.length + 1) throw new G3DecodeError(`polymorphic name id ${n} out of sequence`, { offset: this.base + at });
      className = this.str();
      this.names.push(className);
    } else {
      className = this.names[id - 1];
      if (className === undefined) throw new G3DecodeError(`unknown polymorphic name id ${id}`, { offset: this.base + at });
    }
    const pid = this.u32();
    const isNew = (pid & PTR_NEW_NAME) !== 0;
    return { className, isNew, objectId: pid & 0x7fffffff };
  }
}

/** @internal Writing side of an archive. */
export class ArchiveWriter extends ByteWriter {
  private readonly versionsWritten = new Set<string>();
  private readonly names = new Map<string, number>();
  private nextObject = 1;

  /** Start a new archive at the current position (fresh version/name/object tables, §2.2). */
  newArchive(): void {
    this.versionsWritten.clear();
    this.names.clear();
    this.nextObject = 1;
  }

  /** Write `u32 version` unless already written for this class in this archive. */
  version(className: string, version: number): void {
    if (this.versionsWritten.has(className)) return;
    this.versionsWritten.add(className);
    this.u32(version);
  }

  /** `[vN][base]` for a G3FrameObject subclass. */
  objectHeader(className: string, version: number): void {
    this.version(className, version);
    this.version('G3FrameObject', 1);
  }

  /**
   * Header of a new polymorphic object (§1.1). With `sameAsStatic`, writes `0x40000000`;
   * otherwise the class name (first time) or its id.
   */
  newPointer(className: string, sameAsStatic = false): void {
    if (sameAsStatic) {
      this.u32(PTR_SAME_CLASS);
    } else {
      const id = this.names.get(className);
      if (id !== undefined) this.u32(id);
      else {
        const n = this.names.size + 1;
        this.names.set(className, n);
        this.u32((PTR_NEW_NAME | n) >>> 0);
        this.str(className);
      }
    }
    this.u32((PTR_NEW_NAME | this.nextObject++) >>> 0);
  }
}
