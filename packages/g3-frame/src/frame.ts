/**
 * {@link G3Frame}: a frame type plus ordered (key → value) items (g3-format.md §2). Values are
 * decoded lazily: a frame read from bytes keeps each item's blob and the frame's raw bytes, so an
 * untouched frame re-encodes as a plain copy and unknown classes survive byte-identical.
 */
import { G3DecodeError } from './errors.js';
import { FLOW_CONTROL_KEY, FlowControl, frameTypeName } from './frame-type.js';
import { G3FrameObject } from './object.js';
import { blobClassName, decodeBlob, encodeBlob } from './registry.js';
import { G3Double, G3Int, G3String } from './scalars.js';
import { decodeUtf8, encodeUtf8 } from './utf8.js';

/** @internal One item: key bytes and either (or both) its blob and its decoded value. */
export interface FrameEntry {
  keyBytes: Uint8Array;
  blob: Uint8Array | undefined;
  value: G3FrameObject | undefined;
  /** Stream offset of the blob (for error messages), -1 if not read from a stream. */
  blobOffset: number;
}

/** A G3 frame. Keys keep insertion order (file order for frames that were read). */
export class G3Frame {
  #type: number;
  #raw: Uint8Array | undefined;
  /** @internal */
  readonly entries = new Map<string, FrameEntry>();
  /** Byte offset of this frame in its stream/file, if it was read from one. */
  readonly offset: number | undefined;

  /**
   * @param type frame type code (a {@link FrameType} or any u32, §2.1)
   * @param items initial items, inserted in iteration order
   */
  constructor(type: number, items?: Iterable<[string, G3FrameObject]>, offset?: number) {
    this.#type = type >>> 0;
    this.offset = offset;
    if (items) for (const [k, v] of items) this.set(k, v);
  }

  /** @internal Build from decoded envelope parts (raw bytes kept). */
  static fromParts(type: number, entries: FrameEntry[], raw: Uint8Array, offset: number): G3Frame {
    const f = new G3Frame(type, undefined, offset);
    for (const e of entries) f.entries.set(decodeUtf8(e.keyBytes), e);
    f.#raw = raw;
    return f;
  }

  /** Frame type code (u32). Setting it drops the cached raw bytes. */
  get type(): number {
    return this.#type;
  }
  set type(t: number) {
    this.#type = t >>> 0;
    this.#raw = undefined;
  }

  /** Display name of the type (`Scan`, `none`, `SOST`, …). */
  get typeName(): string {
    return frameTypeName(this.#type);
  }

  /**
   * The exact bytes this frame was read from, while it is unmodified; `undefined` for frames
   * built in code or changed after reading.
   */
  get raw(): Uint8Array | undefined {
    return this.#raw;
  }

  /** Keys in insertion (file) order. */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  /** Number of items. */
  get size(): number {
    return this.entries.size;
  }

  /** Whether an item `key` exists. */
  has(key: string): boolean {
    return this.entries.has(key);
  }

  /**
   * The value under `key`, decoded on first access and cached; `undefined` if absent.
   * Unknown classes return {@link G3Opaque}.
   * @throws G3Error if the blob is malformed (the frame itself stays usable)
   */
  get(key: string): G3FrameObject | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    e.value ??= decodeBlob(e.blob!, Math.max(e.blobOffset, 0));
    return e.value;
  }

  /** The serialized item blob under `key` (encoding the value if it was set in code). */
  getBlob(key: string): Uint8Array | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    e.blob ??= encodeBlob(e.value!);
    return e.blob;
  }

  /** Class name of the item under `key` without decoding its value. */
  className(key: string): string | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    return e.value ? e.value.className : blobClassName(e.blob!, Math.max(e.blobOffset, 0));
  }

  /** Insert or replace an item. A replaced key keeps its position (Map semantics). */
  set(key: string, value: G3FrameObject): this {
    this.entries.set(key, { keyBytes: encodeUtf8(key), blob: undefined, value, blobOffset: -1 });
    this.#raw = undefined;
    return this;
  }

  /** Insert or replace an item by its serialized blob (kept opaque until read). */
  setBlob(key: string, blob: Uint8Array): this {
    this.entries.set(key, { keyBytes: encodeUtf8(key), blob, value: undefined, blobOffset: -1 });
    this.#raw = undefined;
    return this;
  }

  /** Remove an item; returns whether it existed. */
  delete(key: string): boolean {
    const had = this.entries.delete(key);
    if (had) this.#raw = undefined;
    return had;
  }

  /**
   * An integer item as python would return it: G3Int → bigint; undefined if absent.
   * @throws G3DecodeError if the item is not a G3Int
   */
  getInt(key: string): bigint | undefined {
    const v = this.get(key);
    if (v === undefined) return undefined;
    if (v instanceof G3Int) return v.value;
    throw new G3DecodeError(`${key} is ${v.className}, not G3Int`);
  }

  /**
   * A string item: G3String → string; undefined if absent.
   * @throws G3DecodeError if the item is not a G3String
   */
  getString(key: string): string | undefined {
    const v = this.get(key);
    if (v === undefined) return undefined;
    if (v instanceof G3String) return v.value;
    throw new G3DecodeError(`${key} is ${v.className}, not G3String`);
  }
}

/**
 * The `sostream_flowcontrol` value of a SMuRF stream frame (§6), or undefined if the key is
 * absent. Like python's `FlowControl(value)`, a G3Double of integral value is accepted.
 * Unknown numbers are returned as-is (the caller decides).
 * @throws G3DecodeError if the item is neither G3Int nor an integral G3Double
 */
export function flowControlOf(frame: G3Frame): FlowControl | number | undefined {
  const v = frame.get(FLOW_CONTROL_KEY);
  if (v === undefined) return undefined;
  if (v instanceof G3Int) return Number(v.value);
  if (v instanceof G3Double && Number.isInteger(v.value)) return v.value;
  throw new G3DecodeError(`${FLOW_CONTROL_KEY} is ${v.className}, not an integer`);
}
