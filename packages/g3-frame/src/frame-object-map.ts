/**
 * `G3MapFrameObject` and `G3TimesampleMap` (g3-format.md §3.6): maps whose values are complete
 * nested archives (`bytes`, each with its own tables). Keys are written sorted (std::map).
 */
import type { ArchiveReader, ArchiveWriter } from './archive.js';
import { sortedKeys } from './maps.js';
import { G3FrameObject } from './object.js';
import { decodeBlob, encodeBlob } from './registry.js';
import { G3VectorTime } from './vectors.js';

function readObjectEntries(r: ArchiveReader): Map<string, G3FrameObject> {
  const n = r.u32();
  const out = new Map<string, G3FrameObject>();
  for (let i = 0; i < n; i++) {
    const key = r.str();
    const at = r.pos + 8;
    const blob = r.bytesView('nested archive');
    out.set(key, decodeBlob(blob, r.base + at));
  }
  return out;
}

function writeObjectEntries(w: ArchiveWriter, m: Map<string, G3FrameObject>): void {
  w.u32(m.size);
  for (const k of sortedKeys(m.keys())) {
    w.str(k);
    w.bytes(encodeBlob(m.get(k)!));
  }
}

/** `G3MapFrameObject` (v1): string → any G3 object (nested archives). */
export class G3MapFrameObject extends G3FrameObject {
  readonly className = 'G3MapFrameObject';
  readonly value: Map<string, G3FrameObject>;
  constructor(value: Map<string, G3FrameObject> = new Map()) {
    super();
    this.value = value;
  }
  /** @internal */
  static decode(r: ArchiveReader): G3MapFrameObject {
    r.objectHeader('G3MapFrameObject', 1);
    return new G3MapFrameObject(readObjectEntries(r));
  }
  /** @internal */
  encodeBody(w: ArchiveWriter): void {
    w.objectHeader('G3MapFrameObject', 1);
    writeObjectEntries(w, this.value);
  }
}

/**
 * `G3TimesampleMap` (v0): vectors sharing one time axis (the SMuRF streamer's `primary`).
 * Layout: `[v0]`, base G3MapFrameObject (`[v1][base] u32 n` + nested archives), then `times`
 * as a G3VectorTime object.
 */
export class G3TimesampleMap extends G3FrameObject {
  readonly className = 'G3TimesampleMap';
  readonly value: Map<string, G3FrameObject>;
  times: BigInt64Array;
  constructor(value: Map<string, G3FrameObject> = new Map(), times: BigInt64Array = new BigInt64Array(0)) {
    super();
    this.value = value;
    this.times = times;
  }
  /** @internal */
  static decode(r: ArchiveReader): G3TimesampleMap {
    r.version('G3TimesampleMap', 0);
    r.objectHeader('G3MapFrameObject', 1);
    const value = readObjectEntries(r);
    r.objectHeader('G3VectorTime', 1);
    return new G3TimesampleMap(value, G3VectorTime.readItems(r));
  }
  /** @internal */
  encodeBody(w: ArchiveWriter): void {
    w.version('G3TimesampleMap', 0);
    w.objectHeader('G3MapFrameObject', 1);
    writeObjectEntries(w, this.value);
    w.objectHeader('G3VectorTime', 1);
    G3VectorTime.writeItems(w, this.times);
  }
}
