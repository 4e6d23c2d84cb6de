/** bzip2 decompression via the pure-JS `seek-bzip` package (g3-format.md §3.7, §4). */
import { createRequire } from 'node:module';
import { G3DecodeError } from './errors.js';

interface SeekBzip {
  decode(input: Buffer, output?: Buffer, multistream?: boolean): Buffer;
}

const require = createRequire(import.meta.url);
const bunzip = require('seek-bzip') as SeekBzip;

/**
 * Decompress a bzip2 stream.
 * @param multistream also decode concatenated streams (spt3g stops after the first)
 * @throws G3DecodeError (G3_ERR_DECODE) on corrupt input
 */
export function bunzip2(input: Uint8Array, multistream = false): Uint8Array {
  try {
    return bunzip.decode(Buffer.from(input.buffer, input.byteOffset, input.byteLength), undefined, multistream);
  } catch (e) {
    throw new G3DecodeError(`bzip2: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}
