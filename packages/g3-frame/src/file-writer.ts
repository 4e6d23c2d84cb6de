/**
 * {@link G3FileWriter}: writes frames to `.g3` (plain, appendable), `.g3.gz` (one gzip member)
 * or `.g3.xz` files, chosen by suffix (g3-format.md §4). EndProcessing frames are never written.
 */
import { createWriteStream, fsync, type WriteStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { createGzip, type Gzip } from 'node:zlib';
import { xz } from '@napi-rs/lzma';
import { compressionForPath, unsupported, type G3Compression } from './compression.js';
import { encodeFrame, type KeyOrder } from './envelope.js';
import { G3ClosedError } from './errors.js';
import { FrameType } from './frame-type.js';
import type { G3Frame } from './frame.js';

/** Options of {@link G3FileWriter.open}. */
export interface FileWriterOptions {
  /** Append to an existing plain `.g3` file (spt3g allows this only uncompressed). */
  append?: boolean;
  /** Key order of re-serialized frames (default `insertion`; unmodified read frames are copied). */
  keyOrder?: KeyOrder;
}

/** Frame-by-frame writer of one G3 file. Methods must not be called concurrently. */
export class G3FileWriter {
  #closed = false;
  /** Uncompressed bytes written so far. */
  bytesWritten = 0;
  /** Frames written so far. */
  framesWritten = 0;
  private readonly xzParts: Uint8Array[] = [];

  private constructor(
    /** Path of the file. */
    readonly path: string,
    /** Compression in use. */
    readonly compression: G3Compression,
    private readonly keyOrder: KeyOrder,
    private readonly fh: FileHandle | undefined,
    private readonly gzip: Gzip | undefined,
    private readonly out: WriteStream | undefined,
  ) {}

  /**
   * Create (or with `append`, extend) a file; compression by suffix: none, `.gz`, `.xz`.
   * @throws G3UnsupportedError for `.bz2` or append to a compressed file; Node fs errors
   */
  static async open(path: string, opts: FileWriterOptions = {}): Promise<G3FileWriter> {
    const kind = compressionForPath(path);
    const order = opts.keyOrder ?? 'insertion';
    if (opts.append && kind !== 'none') unsupported('append is only allowed for uncompressed .g3 files');
    if (kind === 'bzip2') unsupported('writing .bz2 is not supported (read-only)');
    if (kind === 'none') return new G3FileWriter(path, kind, order, await open(path, opts.append ? 'a' : 'w'), undefined, undefined);
    if (kind === 'xz') return new G3FileWriter(path, kind, order, await open(path, 'w'), undefined, undefined);
    const out = createWriteStream(path);
    await new Promise<void>((res, rej) => out.once('open', () => res()).once('error', rej));
    const gzip = createGzip();
    gzip.pipe(out);
    return new G3FileWriter(path, kind, order, undefined, gzip, out);
  }

  /** Whether {@link G3FileWriter.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Append one frame (raw bytes if it is an unmodified read frame). EndProcessing frames are
   * skipped, as spt3g's G3Writer does. Resolves when the bytes are handed to the OS (plain) or
   * to the compressor.
   */
  async write(frame: G3Frame): Promise<void> {
    if (frame.type === FrameType.EndProcessing) return;
    await this.writeBytes(encodeFrame(frame, { keyOrder: this.keyOrder }));
  }

  /** Append already-serialized frame bytes verbatim. */
  async writeBytes(bytes: Uint8Array): Promise<void> {
    if (this.#closed) throw new G3ClosedError('G3FileWriter');
    if (this.fh && this.compression === 'none') {
      let off = 0;
      while (off < bytes.length) off += (await this.fh.write(bytes, off, bytes.length - off)).bytesWritten;
    } else if (this.gzip) {
      const gz = this.gzip;
      await new Promise<void>((res, rej) => gz.write(bytes, (e) => (e ? rej(e) : res())));
    } else this.xzParts.push(bytes.slice());
    this.bytesWritten += bytes.length;
    this.framesWritten++;
  }

  /** Push buffered compressed data to the file (gzip: a sync flush; plain: nothing buffered). */
  async flush(): Promise<void> {
    if (this.#closed || !this.gzip) return;
    const gz = this.gzip;
    await new Promise<void>((res) => gz.flush(() => res()));
  }

  /** Flush and fsync the file (plain files; gzip files after flush). */
  async fsync(): Promise<void> {
    if (this.#closed) return;
    await this.flush();
    if (this.fh) await this.fh.sync();
    else if (this.out) {
      const fd = (this.out as unknown as { fd: unknown }).fd;
      if (typeof fd === 'number') await new Promise<void>((res, rej) => fsync(fd, (e) => (e ? rej(e) : res())));
    }
  }

  /** Finish the file (gzip trailer / xz compression) and close it. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.gzip && this.out) {
      this.gzip.end();
      await finished(this.out);
      return;
    }
    if (this.compression === 'xz' && this.fh) await this.fh.writeFile(await xz.compress(Buffer.concat(this.xzParts)));
    await this.fh?.close();
  }

}
