/**
 * Reading `.g3`, `.g3.gz`, `.g3.bz2`, `.g3.xz` files (g3-format.md §4): a file is the plain
 * concatenation of frames; compression wraps the whole stream and is chosen by suffix.
 * Plain and gzip files are streamed (memory bounded by the largest frame); bzip2 and xz files
 * are decompressed in memory.
 */
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { xz } from '@napi-rs/lzma';
import { bunzip2 } from './bzip2.js';
import { compressionForPath } from './compression.js';
import { G3DecodeError } from './errors.js';
import { FrameDecoder, type FrameDecoderOptions } from './frame-decoder.js';
import type { G3Frame } from './frame.js';

/** Options of {@link readG3File}. */
export interface ReadFileOptions extends FrameDecoderOptions {
  /**
   * Plain files: smallest read (default 64 KiB); once a frame's length is known its remainder is
   * read in one call, straight into the frame's buffer. gzip files: read and inflate chunk size
   * (default 1 MiB, as spt3g).
   */
  blockSize?: number;
}

/** The decompressed byte stream of a G3 file, as chunks. */
async function* fileChunks(path: string, blockSize: number): AsyncGenerator<Uint8Array> {
  const kind = compressionForPath(path);
  if (kind === 'none' || kind === 'gzip') {
    const raw = createReadStream(path, { highWaterMark: blockSize });
    const src = kind === 'gzip' ? raw.pipe(createGunzip({ chunkSize: blockSize })) : raw;
    if (kind === 'gzip') raw.on('error', (e) => src.destroy(e));
    try {
      for await (const chunk of src as AsyncIterable<Buffer>) yield chunk;
    } catch (e) {
      // zlib errors carry Z_* codes (Z_DATA_ERROR, Z_BUF_ERROR): corrupt input, not an I/O fault.
      const code = (e as { code?: unknown }).code;
      if (typeof code === 'string' && code.startsWith('Z_')) throw new G3DecodeError(`gzip: ${(e as Error).message}`, { cause: e });
      throw e;
    }
    return;
  }
  const data = await readFile(path);
  if (kind === 'bzip2') yield bunzip2(data, true);
  else {
    try {
      yield await xz.decompress(data);
    } catch (e) {
      throw new G3DecodeError(`xz: ${(e as Error).message}`, { cause: e });
    }
  }
}

/**
 * Frames of a G3 file, in order. Values are decoded lazily (see {@link G3Frame.get}).
 * @throws G3Error on bad frames (see {@link FrameDecoderOptions.resync}); G3TruncatedError if
 *   the file ends inside a frame; Node errors (ENOENT…) as they are; gzip errors from node:zlib
 */
export async function* readG3File(path: string, opts: ReadFileOptions = {}): AsyncGenerator<G3Frame> {
  const dec = new FrameDecoder(opts);
  if (compressionForPath(path) === 'none') yield* plainFrames(path, dec, opts.blockSize ?? 1 << 16, !opts.reuseBuffer);
  else for await (const chunk of fileChunks(path, opts.blockSize ?? 1 << 20)) yield* dec.push(chunk);
  yield* dec.end();
}

/**
 * Plain file: read straight into the decoder's buffer (one copy, kernel → frame bytes, no stream
 * layer). With `readAhead` the next read is in flight while the caller handles the frames of the
 * previous one (it only writes past the pending bytes, never into frames handed out; not with
 * `reuseBuffer`, whose frames live only until the next read).
 */
async function* plainFrames(path: string, dec: FrameDecoder, minRead: number, readAhead: boolean): AsyncGenerator<G3Frame> {
  const fh = await open(path, 'r');
  const read = async (): Promise<number> => {
    const region = dec.reserve(minRead);
    return (await fh.read(region, 0, region.length, null)).bytesRead;
  };
  let inflight: Promise<number> | undefined;
  try {
    for (;;) {
      const n = await (inflight ?? read());
      inflight = undefined;
      if (n === 0) break;
      const frames = dec.commit(n);
      if (readAhead) inflight = read();
      yield* frames;
    }
  } finally {
    await inflight?.catch(() => 0);
    await fh.close();
  }
}

/** All frames of a file in an array (convenience for small files and tests). */
export async function readG3FileAll(path: string, opts: ReadFileOptions = {}): Promise<G3Frame[]> {
  const out: G3Frame[] = [];
  for await (const f of readG3File(path, opts)) out.push(f);
  return out;
}
