/**
 * {@link G3FileWriter}: writes frames to `.g3` (plain, appendable), `.g3.gz` (one gzip member)
 * or `.g3.xz` files, chosen by suffix (g3-format.md §4). EndProcessing frames are never written.
 * Operations are serialised internally, so un-awaited calls still land in call order.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { once } from 'node:events';
import { constants as zc, createGzip, type Gzip } from 'node:zlib';
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

/** Frame-by-frame writer of one G3 file. */
export class G3FileWriter {
  #closed = false;
  /** Uncompressed bytes written so far. */
  bytesWritten = 0;
  /** Frames written so far. */
  framesWritten = 0;
  private readonly xzParts: Uint8Array[] = [];
  /** Tail of the operation queue (writes, flushes, close run one after another). */
  private ops: Promise<void> = Promise.resolve();
  /** Tail of the compressed-output writes to the file. */
  private fileWrites: Promise<void> = Promise.resolve();
  private readonly gzip: Gzip | undefined;

  private constructor(
    /** Path of the file. */
    readonly path: string,
    /** Compression in use. */
    readonly compression: G3Compression,
    private readonly keyOrder: KeyOrder,
    private readonly fh: FileHandle,
  ) {
    if (compression === 'gzip') {
      const gz = createGzip();
      gz.on('data', (chunk: Buffer) => {
        this.fileWrites = this.fileWrites.then(() => writeAll(fh, chunk));
      });
      this.gzip = gz;
    }
  }

  /**
   * Create (or with `append`, extend) a file; compression by suffix: none, `.gz`, `.xz`.
   * @throws G3UnsupportedError for `.bz2` or append to a compressed file; Node fs errors
   */
  static async open(path: string, opts: FileWriterOptions = {}): Promise<G3FileWriter> {
    const kind = compressionForPath(path);
    if (opts.append && kind !== 'none') unsupported('append is only allowed for uncompressed .g3 files');
    if (kind === 'bzip2') unsupported('writing .bz2 is not supported (read-only)');
    const fh = await open(path, opts.append ? 'a' : 'w');
    return new G3FileWriter(path, kind, opts.keyOrder ?? 'insertion', fh);
  }

  /** Whether {@link G3FileWriter.close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Append one frame (its raw bytes if it is an unmodified read frame). EndProcessing frames
   * are skipped, as spt3g's G3Writer does. Plain files: resolves when the bytes are in the OS.
   * @throws G3ClosedError after close
   */
  write(frame: G3Frame): Promise<void> {
    if (frame.type === FrameType.EndProcessing) return this.ops;
    return this.writeBytes(encodeFrame(frame, { keyOrder: this.keyOrder }));
  }

  /** Append already-serialized frame bytes verbatim. */
  writeBytes(bytes: Uint8Array): Promise<void> {
    if (this.#closed) return Promise.reject(new G3ClosedError('G3FileWriter'));
    return this.enqueue(async () => {
      if (this.compression === 'none') await writeAll(this.fh, bytes);
      else if (this.gzip) {
        const gz = this.gzip;
        await new Promise<void>((res, rej) => gz.write(bytes, (e) => (e ? rej(e) : res())));
      } else this.xzParts.push(bytes.slice());
      this.bytesWritten += bytes.length;
      this.framesWritten++;
    });
  }

  /** Push compressed data written so far into the file (gzip sync flush); no-op for plain. */
  flush(): Promise<void> {
    if (this.#closed) return this.ops;
    return this.enqueue(() => this.flushNow());
  }

  /** Flush, then fsync the file. */
  fsync(): Promise<void> {
    if (this.#closed) return this.ops;
    return this.enqueue(async () => {
      await this.flushNow();
      await this.fh.sync();
    });
  }

  /** Finish the file (gzip trailer / xz compression) and close it. Idempotent. */
  close(): Promise<void> {
    if (this.#closed) return this.ops;
    this.#closed = true;
    return this.enqueue(async () => {
      if (this.gzip) {
        const ended = once(this.gzip, 'end');
        this.gzip.end();
        await ended;
        await this.fileWrites;
      } else if (this.compression === 'xz') {
        await writeAll(this.fh, await xz.compress(Buffer.concat(this.xzParts)));
      }
      await this.fh.close();
    });
  }

  private async flushNow(): Promise<void> {
    const gz = this.gzip;
    if (!gz) return;
    await new Promise<void>((res) => gz.flush(zc.Z_SYNC_FLUSH, () => res()));
    await this.fileWrites;
  }

  private enqueue(op: () => Promise<void>): Promise<void> {
    const p = this.ops.then(op);
    this.ops = p.catch(() => undefined);
    return p;
  }
}

async function writeAll(fh: FileHandle, bytes: Uint8Array): Promise<void> {
  let off = 0;
  while (off < bytes.length) off += (await fh.write(bytes, off, bytes.length - off)).bytesWritten;
}
