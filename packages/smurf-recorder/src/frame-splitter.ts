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
const MAX_SPARES = 4;

/** Frames handed out from one buffer and not yet released; `active` while still appended to. */
interface BufferUse {
  outstanding: number;
  active: boolean;
}

/** Incremental frame splitter. After a fault every push returns the same fault. */
export class FrameSplitter {
  private buf: Buffer = Buffer.alloc(0);
  private start = 0;
  private lim = 0;
  /** Stream offset of buf[0]. */
  private base = 0;
  private lastFrameBytes = 0;
  private failed: G3Error | undefined;
  private readonly uses = new Map<ArrayBufferLike, BufferUse>();
  private readonly spares: Buffer[] = [];

  constructor(private readonly maxFrameBytes: number) {}

  /**
   * The caller is done with `frame` (written or dropped): once every frame of a full buffer is
   * released, the buffer is reused for later frames instead of allocating fresh memory (which the
   * kernel has to fault in and zero, a large part of the cost for multi-MB frames).
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
    if (this.spares.length < MAX_SPARES) this.spares.push(Buffer.from(key as ArrayBuffer));
  }

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
        this.useOf(this.buf).outstanding += 1;
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
    const nb = this.takeSpare(cap) ?? Buffer.allocUnsafe(cap);
    this.buf.copy(nb, 0, this.start, this.lim);
    const old = this.uses.get(this.buf.buffer);
    if (old) {
      old.active = false;
      if (old.outstanding === 0) this.retire(this.buf.buffer);
    }
    this.base += this.start;
    this.buf = nb;
    this.start = 0;
    this.lim = pending;
  }

  private useOf(b: Buffer): BufferUse {
    let u = this.uses.get(b.buffer);
    if (!u) this.uses.set(b.buffer, (u = { outstanding: 0, active: true }));
    return u;
  }

  /** A spare buffer of at least `cap` bytes, if any (its whole ArrayBuffer). */
  private takeSpare(cap: number): Buffer | undefined {
    const i = this.spares.findIndex((b) => b.length >= cap);
    return i < 0 ? undefined : this.spares.splice(i, 1)[0];
  }
}
