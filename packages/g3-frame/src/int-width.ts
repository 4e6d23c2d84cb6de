/** `store_bits` narrowing for G3VectorInt/G3MapInt v2 (g3-format.md §3.2, §3.3). */
import type { ArchiveReader, ArchiveWriter } from './archive.js';
import { G3DecodeError } from './errors.js';

/** A store width of G3VectorInt/G3MapInt v2. */
export type StoreBits = 8 | 16 | 32 | 64;

/**
 * The width spt3g picks: OR `x` (x ≥ 0) or `~x` (x < 0) over all values; significant bits =
 * 1 + index of the highest set bit (1 for 0); smallest of 8/16/32/64 that holds it.
 */
export function storeBitsFor(values: Iterable<bigint>): StoreBits {
  let mask = 0n;
  for (const x of values) mask |= x >= 0n ? x : ~x;
  const sig = mask === 0n ? 1 : mask.toString(2).length + 1;
  if (sig <= 8) return 8;
  if (sig <= 16) return 16;
  if (sig <= 32) return 32;
  return 64;
}

/** @internal Read `n` integers of `bits` width (sign-extended) into a BigInt64Array. */
export function readInts(r: ArchiveReader, n: number, bits: number): BigInt64Array {
  const out = new BigInt64Array(n);
  if (bits === 64) {
    r.need(n * 8);
    out.set(r.typed(BigInt64Array, n));
    return out;
  }
  const size = bits / 8;
  r.need(n * size);
  const src = bits === 8 ? r.typed(Int8Array, n) : bits === 16 ? r.typed(Int16Array, n) : r.typed(Int32Array, n);
  for (let i = 0; i < n; i++) out[i] = BigInt(src[i]!);
  return out;
}

/** @internal Read `i32 store_bits` and validate it. */
export function readStoreBits(r: ArchiveReader): StoreBits {
  const at = r.pos;
  const bits = r.i32();
  if (bits !== 8 && bits !== 16 && bits !== 32 && bits !== 64) throw new G3DecodeError(`bad store_bits ${bits}`, { offset: r.base + at });
  return bits;
}

/** @internal Write integers narrowed to `bits` (two's complement). */
export function writeInts(w: ArchiveWriter, values: ArrayLike<bigint>, bits: StoreBits): void {
  const n = values.length;
  w.ensure(n * (bits / 8));
  const v = w.view;
  let p = w.pos;
  for (let i = 0; i < n; i++) {
    const x = values[i]!;
    if (bits === 64) v.setBigInt64(p, x, true);
    else if (bits === 32) v.setInt32(p, Number(x), true);
    else if (bits === 16) v.setInt16(p, Number(x), true);
    else v.setInt8(p, Number(x));
    p += bits / 8;
  }
  w.pos = p;
}
