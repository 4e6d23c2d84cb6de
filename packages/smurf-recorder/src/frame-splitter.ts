/**
 * Cuts a TCP byte stream into frames for the recorder, with g3-frame's `scanFrame`/`parseFrame`
 * (envelope walk and CRC check). Unlike g3-frame's general `FrameDecoder`, it never compacts its
 * buffer after a push: bytes are appended until a frame is complete, and a buffer is only
 * replaced when full (amortised one copy per byte; sized from the last frame). For multi-MB SMuRF
 * frames arriving in 64 KiB socket chunks this is what keeps the recorder at disk speed
 * (bench/recorder-throughput.ts).
 */
import { G3Error, parseFrame, scanFrame, type G3Frame } from '@smurf-ocs/g3-frame';

/** Result of one {@link FrameSplitter.push}: the frames completed, and the first fault if any. */
export interface SplitResult {
  frames: G3Frame[];
  error: G3Error | undefined;
}

const MIN_CAPACITY = 1 << 20;

/** Incremental frame splitter. After a fault every push returns the same fault. */
export class FrameSplitter {
  private buf: Buffer = Buffer.alloc(0);
  private start = 0;
  private lim = 0;
  /** Stream offset of buf[0]. */
  private base = 0;
  private lastFrameBytes = 0;
  private failed: G3Error | undefined;

  constructor(private readonly maxFrameBytes: number) {}

  /** Bytes received that are not yet part of a complete frame. */
  get pending(): number {
    return this.lim - this.start;
  }

  /** Add bytes; returns the frames they complete and the first fault. */
  push(chunk: Uint8Array): SplitResult {
    if (this.failed) return { frames: [], error: this.failed };
    this.append(chunk);
    return this.scan();
  }

  /**
   * Zero-copy receive: the free tail of the buffer (at least `min` bytes) for the socket to read
   * into; follow with {@link commit}. Bytes before it belong to frames already handed out and are
   * never overwritten.
   */
  reserve(min = 256 * 1024): Buffer {
    if (this.buf.length - this.lim < min) this.grow(min);
    return this.buf.subarray(this.lim);
  }

  /** `n` bytes were read into the region returned by {@link reserve}. */
  commit(n: number): SplitResult {
    if (this.failed) return { frames: [], error: this.failed };
    this.lim += n;
    return this.scan();
  }

  private scan(): SplitResult {
    const frames: G3Frame[] = [];
    try {
      for (;;) {
        const len = scanFrame(this.buf, this.start, this.lim, this.base, this.maxFrameBytes);
        if (len === undefined) break;
        frames.push(parseFrame(this.buf, this.start, len, this.base, true));
        this.start += len;
        this.lastFrameBytes = len;
      }
    } catch (err) {
      if (!(err instanceof G3Error)) throw err;
      this.failed = err;
    }
    return { frames, error: this.failed };
  }

  /** Append, moving the pending tail to a new buffer when full. Old buffers stay with their frames. */
  private append(chunk: Uint8Array): void {
    if (this.lim + chunk.length > this.buf.length) this.grow(chunk.length);
    this.buf.set(chunk, this.lim);
    this.lim += chunk.length;
  }

  /** Move the pending tail to a new buffer with room for `extra` more bytes (and a whole frame). */
  private grow(extra: number): void {
    const pending = this.lim - this.start;
    const cap = Math.max(MIN_CAPACITY, 2 * (pending + extra), Math.ceil(this.lastFrameBytes * 1.25) + extra);
    const nb = Buffer.allocUnsafe(cap);
    this.buf.copy(nb, 0, this.start, this.lim);
    this.base += this.start;
    this.buf = nb;
    this.start = 0;
    this.lim = pending;
  }
}
