/**
 * The frame CRC of g3-format.md §2.3: CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) with
 * **initial value 0 and no final XOR** — not the standard CRC-32C check value.
 *
 * Computed with the native SIMD `@node-rs/crc32` (standard, inverting CRC-32C) using the relation
 * `raw(c, data) = ~std(data, ~c)`; all values are unsigned 32-bit.
 */
import { crc32c as stdCrc32c } from '@node-rs/crc32';

/**
 * Continue the spt3g frame CRC `crc` over `data` (g3-format.md §2.3).
 * @param crc running CRC (0 to start); the result of one call is the seed of the next
 * @returns unsigned 32-bit CRC
 */
export function crc32cRaw(crc: number, data: Uint8Array): number {
  if (data.length === 0) return crc >>> 0;
  const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return ~stdCrc32c(buf, ~crc >>> 0) >>> 0;
}
