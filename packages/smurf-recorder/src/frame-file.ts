/**
 * One `.g3` file being written (spec B3.3-B3.4, g3-format.md §4: a file is frames concatenated).
 *
 * Differences from the Python G3Writer, on purpose (docs/compat/smurf-recorder.md):
 * - created with `O_EXCL`: an existing file is never truncated; the caller picks another suffix;
 * - every frame goes to the kernel in one `writev` before the next one is taken (Python flushes
 *   after each frame too), so a `kill -9` of the recorder loses nothing already received;
 * - `close()` fsyncs the file and its directory.
 */
import { createHash, type Hash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { WriteError } from './errors.js';

/** What a closed file looked like. Times are ctime seconds. */
export interface ClosedFile {
  /** Absolute path of the file. */
  path: string;
  /** Whole frames written. */
  frames: number;
  /** Bytes written. */
  bytes: number;
  /** ctime at which the file was opened. */
  openedAt: number;
  /** Lower-case hex md5 of the content, if hashing was on. */
  md5: string | undefined;
}

/** Options of {@link FrameFile.create}. */
export interface FrameFileOptions {
  /** Compute the md5 while writing (used for SupRsync registration). */
  md5?: boolean;
}

/** An open `.g3` file. Not re-entrant: await each call before the next. */
export class FrameFile {
  private frames = 0;
  private bytes = 0;
  private closed = false;

  private constructor(
    readonly path: string,
    readonly openedAt: number,
    private readonly fh: FileHandle,
    private readonly hash: Hash | undefined,
  ) {}

  /**
   * Create `filePath` exclusively. Resolves `undefined` if it already exists (EEXIST), so the
   * caller can try the next suffix; other failures throw {@link WriteError}.
   */
  static async create(filePath: string, openedAt: number, opts: FrameFileOptions = {}): Promise<FrameFile | undefined> {
    let fh: FileHandle;
    try {
      fh = await open(filePath, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
      throw new WriteError(filePath, 'cannot create file', { cause: err });
    }
    return new FrameFile(filePath, openedAt, fh, opts.md5 ? createHash('md5') : undefined);
  }

  /** Frames written so far. */
  get frameCount(): number {
    return this.frames;
  }

  /** Bytes written so far. */
  get byteCount(): number {
    return this.bytes;
  }

  /** Append one whole frame (its bytes in one or more pieces). Throws {@link WriteError}. */
  async writeFrame(chunks: readonly Uint8Array[]): Promise<void> {
    let total = 0;
    for (const c of chunks) total += c.byteLength;
    try {
      let done = 0;
      let pending: readonly Uint8Array[] = chunks;
      while (done < total) {
        const { bytesWritten } = await this.fh.writev(pending as Uint8Array[]);
        if (bytesWritten <= 0) throw new Error('write made no progress');
        done += bytesWritten;
        if (done < total) pending = remaining(chunks, done);
      }
    } catch (err) {
      // Cut a partly written frame so the file still ends on a whole frame.
      await this.fh.truncate(this.bytes).catch(() => undefined);
      throw new WriteError(this.path, 'cannot write frame', { cause: err });
    }
    if (this.hash) for (const c of chunks) this.hash.update(c);
    this.frames += 1;
    this.bytes += total;
  }

  /** fsync the file and its directory, then close. Idempotent. Throws {@link WriteError}. */
  async close(): Promise<ClosedFile> {
    const info: ClosedFile = {
      path: this.path,
      frames: this.frames,
      bytes: this.bytes,
      openedAt: this.openedAt,
      md5: undefined,
    };
    if (this.closed) return info;
    this.closed = true;
    try {
      await this.fh.sync();
    } catch (err) {
      await this.fh.close().catch(() => undefined);
      throw new WriteError(this.path, 'cannot fsync file', { cause: err });
    }
    try {
      await this.fh.close();
      await fsyncDir(path.dirname(this.path));
    } catch (err) {
      throw new WriteError(this.path, 'cannot close file', { cause: err });
    }
    info.md5 = this.hash?.digest('hex');
    return info;
  }
}

/** fsync a directory so a new entry in it survives a power loss. */
export async function fsyncDir(dir: string): Promise<void> {
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

/** The part of `chunks` after the first `skip` bytes. */
function remaining(chunks: readonly Uint8Array[], skip: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let left = skip;
  for (const c of chunks) {
    if (left >= c.byteLength) {
      left -= c.byteLength;
      continue;
    }
    out.push(left > 0 ? c.subarray(left) : c);
    left = 0;
  }
  return out;
}
