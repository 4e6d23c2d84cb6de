/**
 * Incremental frame decoder for byte streams (TCP chunks split anywhere, files read in blocks).
 * Frames are self-delimiting (g3-format.md §2, §5): no outer length prefix, so the decoder walks
 * the length fields as bytes arrive. Memory grows only with bytes actually received.
 */
import { DEFAULT_MAX_FRAME_BYTES, parseFrame, scanFrame, truncatedAt, type ParseOptions, type ScanHint } from './envelope.js';
import { G3Error } from './errors.js';
import type { G3Frame } from './frame.js';

/** Options of {@link FrameDecoder}. */
export interface FrameDecoderOptions extends ParseOptions {
  /**
   * After a bad frame (CRC, garbage, bad length, truncation at end), skip forward and resume at
   * the next position that parses as a valid frame, reporting each fault to `onError` instead of
   * throwing. Default false: the first fault throws and the decoder stays failed.
   */
  resync?: boolean;
  /** Called with each fault skipped in resync mode. */
  onError?: (err: G3Error) => void;
  /**
   * Reuse the decoder's buffer once frames were handed out (saves allocation and page faults
   * for pass-through at I/O speed). Frames, their `raw` bytes and undecoded blobs are then only
   * valid until the next push/reserve: write or decode them before asking for more. Values
   * already decoded are copies and stay valid. Default false.
   */
  reuseBuffer?: boolean;
}

const INITIAL_CAPACITY = 64 * 1024;
const SPECULATIVE_CAPACITY = 16 * 1024 * 1024;

/**
 * Push chunks, get frames. Frames are views into the pushed chunks or into the decoder's own
 * buffer (never overwritten later), so callers must not modify chunks after pushing them.
 */
export class FrameDecoder {
  private buf: Uint8Array = new Uint8Array(0);
  private start = 0;
  private lim = 0;
  /** Whether `buf` is ours to append into (not a caller's chunk). */
  private owned = false;
  /** Stream offset of buf[0]. */
  private base = 0;
  private failed: G3Error | undefined;
  /** Lower bound of the pending frame's length (sizes the buffer once for big frames). */
  private readonly hint: ScanHint = { atLeast: 0 };
  private readonly maxFrameBytes: number;
  private readonly verifyCrc: boolean;

  constructor(private readonly opts: FrameDecoderOptions = {}) {
    this.maxFrameBytes = opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.verifyCrc = opts.verifyCrc ?? true;
  }

  /** Bytes received but not yet part of a complete frame. */
  get pending(): number {
    return this.lim - this.start;
  }

  /** Stream offset of the next byte to be consumed. */
  get position(): number {
    return this.base + this.start;
  }

  /**
   * Add bytes; returns the frames completed by them, in order.
   * @throws G3Error on bad input (unless `resync`); afterwards every call rethrows it
   */
  push(chunk: Uint8Array): G3Frame[] {
    if (this.failed) throw this.failed;
    if (chunk.length === 0) return [];
    if (this.start === this.lim) {
      // Nothing pending: parse straight from the caller's chunk (zero copy).
      this.base += this.lim;
      this.buf = chunk;
      this.start = 0;
      this.lim = chunk.length;
      this.owned = false;
      const frames = this.drain(false);
      if (this.start < this.lim) this.moveTail(0);
      return frames;
    }
    this.reserve(chunk.length).set(chunk);
    return this.commit(chunk.length);
  }

  /**
   * A writable region of at least `min` bytes at the end of the decoder's own buffer, sized for
   * the pending frame if its length is known, so a reader can fill it directly (no extra copy).
   * Follow with {@link FrameDecoder.commit}. Writing there never touches frames handed out:
   * they are views of bytes before the pending data.
   */
  reserve(min: number): Uint8Array {
    if (this.failed) throw this.failed;
    if (!this.owned || this.buf.length - this.lim < min) this.moveTail(min);
    return this.buf.subarray(this.lim);
  }

  /** Account for `n` bytes written into the region returned by {@link FrameDecoder.reserve}. */
  commit(n: number): G3Frame[] {
    if (this.failed) throw this.failed;
    this.lim += n;
    return this.drain(false);
  }

  /**
   * Signal end of input. Returns frames still recoverable in resync mode.
   * @throws G3TruncatedError if the input ended inside a frame (unless `resync`)
   */
  end(): G3Frame[] {
    if (this.failed) throw this.failed;
    return this.drain(true);
  }

  /**
   * Move the pending bytes to a new buffer of our own with room for `extra` more bytes (at least
   * the pending frame's known length). The old buffer is never written again.
   */
  private moveTail(extra: number): void {
    const tail = this.lim - this.start;
    if (this.opts.reuseBuffer && this.owned && tail + extra <= this.buf.length && tail + extra >= this.hint.atLeast) {
      this.buf.copyWithin(0, this.start, this.lim);
      this.base += this.start;
      this.start = 0;
      this.lim = tail;
      return;
    }
    // Size for the whole pending frame when its length is known, but never speculate more than
    // SPECULATIVE_CAPACITY or 4× the bytes in hand: a bogus length field must not allocate.
    const known = Math.min(this.hint.atLeast, Math.max(SPECULATIVE_CAPACITY, 4 * (tail + extra)));
    const cap = Math.max(INITIAL_CAPACITY, tail + extra, known);
    const nb = Buffer.allocUnsafeSlow(cap);
    nb.set(this.buf.subarray(this.start, this.lim));
    this.base += this.start;
    this.buf = nb;
    this.start = 0;
    this.lim = tail;
    this.owned = true;
  }

  private drain(atEnd: boolean): G3Frame[] {
    const frames: G3Frame[] = [];
    while (this.start < this.lim) {
      try {
        const len = scanFrame(this.buf, this.start, this.lim, this.base, this.maxFrameBytes, this.hint);
        if (len === undefined) {
          if (!atEnd) break;
          throw truncatedAt(this.lim - this.start, this.base + this.start);
        }
        frames.push(parseFrame(this.buf, this.start, len, this.base, this.verifyCrc));
        this.start += len;
      } catch (e) {
        if (!(e instanceof G3Error)) throw e;
        if (!this.opts.resync) {
          this.failed = e;
          throw e;
        }
        this.opts.onError?.(e);
        this.skipToCandidate();
      }
    }
    return frames;
  }

  /** Resync: advance at least one byte, to the next `01 01 00 00 00` (frame start pattern). */
  private skipToCandidate(): void {
    let p = this.start + 1;
    const b = this.buf;
    while (p < this.lim) {
      if (b[p] === 1 && (p + 1 >= this.lim || b[p + 1] === 1) && (p + 2 >= this.lim || b[p + 2] === 0) && (p + 3 >= this.lim || b[p + 3] === 0) && (p + 4 >= this.lim || b[p + 4] === 0)) break;
      p++;
    }
    this.start = p;
  }
}
