/**
 * `G3TimestreamMap` (v3, g3-format.md §3.5): `u64 n`, n × (`str` key, polymorphic pointer to a
 * G3Timestream with static-class id `0x40000000`). Entries keep file/insertion order.
 */
import type { ArchiveReader, ArchiveWriter } from './archive.js';
import { G3DecodeError } from './errors.js';
import { G3FrameObject } from './object.js';
import { G3Timestream } from './timestream.js';

/** Map of channel name → timestream, in insertion order (SMuRF: `r0000`, `r0001`, …). */
export class G3TimestreamMap extends G3FrameObject {
  readonly className = 'G3TimestreamMap';
  readonly value: Map<string, G3Timestream>;
  constructor(value: Map<string, G3Timestream> | Iterable<[string, G3Timestream]> = []) {
    super();
    this.value = value instanceof Map ? value : new Map(value);
  }

  /** First timestream (python takes map-level properties from it), or undefined if empty. */
  private first(): G3Timestream | undefined {
    return this.value.values().next().value;
  }
  /** Samples per timestream (of the first one; 0 if empty). */
  get nSamples(): number {
    return this.first()?.nSamples ?? 0;
  }
  /** Sample rate in Hz of the first timestream (NaN if empty). */
  get sampleRateHz(): number {
    return this.first()?.sampleRateHz ?? NaN;
  }
  /** Start time (ticks) of the first timestream. */
  get start(): bigint | undefined {
    return this.first()?.start;
  }
  /** Stop time (ticks) of the first timestream. */
  get stop(): bigint | undefined {
    return this.first()?.stop;
  }
  /** Sample times (ticks) of the first timestream. */
  times(): BigInt64Array {
    return this.first()?.times() ?? new BigInt64Array(0);
  }

  /** @internal */
  static decode(r: ArchiveReader): G3TimestreamMap {
    const at = r.pos;
    const v = r.objectHeader('G3TimestreamMap', 3);
    if (v < 3) throw new G3DecodeError(`G3TimestreamMap v${v} (pre-2017) is not supported`, { offset: r.base + at });
    const n = r.count(16, 'G3TimestreamMap');
    const objects: G3Timestream[] = []; // by object id (sequential in practice)
    const out = new Map<string, G3Timestream>();
    for (let i = 0; i < n; i++) {
      const key = r.str();
      const pAt = r.pos;
      const p = r.pointer('G3Timestream');
      if (p.className !== 'G3Timestream') throw new G3DecodeError(`G3TimestreamMap entry of class ${p.className ?? 'null'}`, { offset: r.base + pAt });
      let ts: G3Timestream | undefined;
      if (p.isNew) {
        ts = G3Timestream.decode(r);
        objects[p.objectId] = ts;
      } else {
        ts = objects[p.objectId];
        if (!ts) throw new G3DecodeError(`dangling timestream reference ${p.objectId}`, { offset: r.base + pAt });
      }
      out.set(key, ts);
    }
    return new G3TimestreamMap(out);
  }

  /** @internal */
  override encodedSizeHint(): number {
    let estimate = 64;
    for (const [key, ts] of this.value) estimate += key.length * 3 + ts.encodedSizeHint();
    return estimate;
  }
  /** @internal */
  encodeBody(w: ArchiveWriter): void {
    w.objectHeader('G3TimestreamMap', 3);
    w.ensure(this.encodedSizeHint());
    w.u64(this.value.size);
    const seen = new Map<G3Timestream, number>();
    let nextId = 2; // the map itself is object 1 of the blob
    for (const [key, ts] of this.value) {
      w.str(key);
      const id = seen.get(ts);
      if (id !== undefined) {
        w.u32(0x40000000);
        w.u32(id);
        continue;
      }
      seen.set(ts, nextId++);
      w.newPointer('G3Timestream', true);
      ts.encodeBody(w);
    }
  }
}
