/**
 * Incremental frame decoder for byte streams (TCP chunks split anywhere, files read in blocks).
 * Frames are self-delimiting (g3-format.md §2, §5): no outer length prefix, so the decoder walks
 * the length fields as bytes arrive. Memory grows only with bytes actually received.
 *
 * Copying: a frame that lies inside one pushed chunk is parsed in place (no copy). Bytes of a
 * frame spread over several chunks are copied once into a buffer sized for the whole frame as
 * soon as its length fields are known (`reserve`/`commit` readers write there directly: no copy
 * at all). Only the few bytes of a frame that arrived before its length was known, or a buffer
 * grown geometrically because the length was underestimated, are copied a second time.
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
   * already decoded are copies and stay valid. Default false. (Consumers that keep frames for a
   * while can use {@link FrameDecoder.release} instead.)
   */
  reuseBuffer?: boolean;
  /**
   * Without `resync`: the call that meets a fault returns the frames completed before it
   * (instead of throwing and dropping them) and sets {@link FrameDecoder.error}; every later call
   * throws the fault. For consumers that must keep every whole frame of a broken stream (the
   * SMuRF recorder). Default false.
   */
  deferErrors?: boolean;
}

const INITIAL_CAPACITY = 64 * 1024;
/** Largest buffer sized from an unverified length field before its bytes arrive. */
const SPECULATIVE_CAPACITY = 16 * 1024 * 1024;
/** Smallest piece of a pushed chunk copied at a time (bounds re-scans of the pending frame). */
const COPY_STEP = 64 * 1024;
/** Released buffers kept for reuse. */
const MAX_SPARES = 4;

/** Frames handed out from one of our buffers and not yet released; `active` while appended to. */
interface BufferUse {
  outstanding: number;
  active: boolean;
}

/**
 * Push chunks, get frames. Frames are views into the pushed chunks or into the decoder's own
 * buffers (never overwritten later unless `reuseBuffer` or {@link FrameDecoder.release} say so),
 * so callers must not modify chunks after pushing them.
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
  /** Lower bound of the pending frame's length; 0 when nothing is pending. */
  private readonly hint: ScanHint = { atLeast: 0 };
  private readonly maxFrameBytes: number;
  private readonly verifyCrc: boolean;
  /** Our last own buffer (recycled in `reuseBuffer` mode). */
  private own: Uint8Array | undefined;
  /** Per own buffer: frames not yet released (weak: never keeps memory alive). */
  private readonly uses = new WeakMap<ArrayBufferLike, BufferUse>();
  private readonly spares: Uint8Array[] = [];

  constructor(private readonly opts: FrameDecoderOptions = {}) {
    this.maxFrameBytes = opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    this.verifyCrc = opts.verifyCrc ?? true;
  }

  /** The fault that stopped decoding (without `resync`), else undefined. */
  get error(): G3Error | undefined {
    return this.failed;
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
    const frames: G3Frame[] = [];
    let off = 0;
    while (off < chunk.length) {
      if (this.start === this.lim) {
        // Nothing pending: parse straight from the caller's chunk (zero copy).
        if (this.owned) this.deactivate(this.buf);
        this.base += this.lim;
        this.buf = chunk.subarray(off);
        this.start = 0;
        this.lim = this.buf.length;
        this.owned = false;
        append(frames, this.drain(false));
        if (this.start < this.lim && !this.failed) this.grow(0, COPY_STEP);
        return frames;
      }
      // Copy only up to the pending frame's (lower-bound) end: once it completes, the rest of the
      // chunk is parsed in place again.
      const n = Math.min(chunk.length - off, Math.max(this.hint.atLeast - this.pending, COPY_STEP));
      if (!this.owned || this.buf.length - this.lim < n) this.grow(n, COPY_STEP);
      this.buf.set(chunk.subarray(off, off + n), this.lim);
      this.lim += n;
      off += n;
      append(frames, this.drain(false));
      if (this.failed) break;
    }
    return frames;
  }

  /**
   * A writable region of at least `min` bytes at the end of the decoder's own buffer, so a reader
   * can fill it directly (no extra copy). When the pending frame's length is known the region
   * reaches to its end (the whole remainder can be read in one call), and the buffer is sized
   * for the whole frame. Follow with {@link FrameDecoder.commit}. Writing there never touches
   * frames handed out: they are views of bytes before the pending data.
   */
  reserve(min: number): Uint8Array {
    if (this.failed) throw this.failed;
    min = Math.max(1, min);
    // The rest of the pending frame, trusting its length fields only up to the speculation bound.
    const rest = this.pending > 0 ? Math.min(this.hint.atLeast - this.pending, Math.max(SPECULATIVE_CAPACITY, 4 * this.pending)) : 0;
    const want = Math.max(min, rest);
    if (!this.owned || this.buf.length - this.lim < want) this.grow(want, min);
    return this.buf.subarray(this.lim, this.lim + want);
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
   * The caller is done with `frame` (written, dropped, or every value it needs decoded): once
   * every frame handed out from one of the decoder's buffers is released, that buffer is reused
   * for later frames instead of allocating fresh memory. The frame's `raw` bytes and undecoded
   * blobs must not be used afterwards (decoded values are copies and stay valid). Frames parsed
   * in place from a pushed chunk, and frames released twice, are ignored.
   */
  release(frame: G3Frame): void {
    const key = frame.raw?.buffer;
    const use = key && this.uses.get(key);
    if (!use || use.outstanding <= 0) return;
    use.outstanding -= 1;
    if (use.outstanding === 0 && !use.active) this.retire(key);
  }

  private retire(key: ArrayBufferLike): void {
    this.uses.delete(key);
    if (this.spares.length < MAX_SPARES && !this.opts.reuseBuffer) this.spares.push(new Uint8Array(key));
  }

  /**
   * Move the pending bytes to a buffer of our own with room for `extra` more bytes, sized for the
   * whole pending frame (+ `slack`) when its length is known, and twice the old buffer when that
   * held nothing but the pending frame (geometric growth). The old buffer is never written again
   * (unless `reuseBuffer`).
   */
  private grow(extra: number, slack: number): void {
    const tail = this.lim - this.start;
    // Size for the whole pending frame when its length is known, but never speculate more than
    // SPECULATIVE_CAPACITY or 4× the bytes in hand: a bogus length field must not allocate.
    const frame = tail > 0 ? Math.min(this.hint.atLeast, Math.max(SPECULATIVE_CAPACITY, 4 * (tail + extra))) : 0;
    // A buffer that held only this frame proved too small (its length was underestimated): double.
    const geometric = this.owned && this.start === 0 && tail > 0 ? 2 * this.buf.length : 0;
    const need = Math.max(tail + extra, frame + slack);
    const cap = Math.max(INITIAL_CAPACITY, need, geometric);
    const old = this.buf;
    let nb: Uint8Array;
    if (this.opts.reuseBuffer && this.own && this.own.length >= need) nb = this.own;
    else nb = this.takeSpare(cap) ?? Buffer.allocUnsafeSlow(cap);
    if (nb === old) nb.copyWithin(0, this.start, this.lim);
    else nb.set(old.subarray(this.start, this.lim));
    if (this.owned && nb !== old) this.deactivate(old);
    this.base += this.start;
    this.buf = nb;
    this.own = nb;
    this.start = 0;
    this.lim = tail;
    this.owned = true;
  }

  /** The decoder stops appending to `b`: it can be recycled once its frames are released. */
  private deactivate(b: Uint8Array): void {
    const use = this.uses.get(b.buffer);
    if (!use) return;
    use.active = false;
    if (use.outstanding === 0) this.retire(b.buffer);
  }

  /** A released buffer of at least `cap` bytes, if any. */
  private takeSpare(cap: number): Uint8Array | undefined {
    const i = this.spares.findIndex((b) => b.length >= cap);
    return i < 0 ? undefined : this.spares.splice(i, 1)[0];
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
        if (this.owned) this.useOf(this.buf).outstanding += 1;
        this.start += len;
        this.hint.atLeast = 0;
      } catch (e) {
        if (!(e instanceof G3Error)) throw e;
        if (!this.opts.resync) {
          this.failed = e;
          if (this.opts.deferErrors) return frames;
          throw e;
        }
        this.opts.onError?.(e);
        this.skipToCandidate();
      }
    }
    return frames;
  }

  private useOf(b: Uint8Array): BufferUse {
    let u = this.uses.get(b.buffer);
    if (!u) this.uses.set(b.buffer, (u = { outstanding: 0, active: true }));
    return u;
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
    this.hint.atLeast = 0;
  }
}

function append(to: G3Frame[], from: G3Frame[]): void {
  for (const f of from) to.push(f);
}
