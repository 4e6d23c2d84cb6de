/**
 * TCP client side of the G3 network stream (spec B2.1, g3-format.md §5): connect to the sender,
 * cut the byte stream into frames with g3-frame's `FrameDecoder` (the kernel copies straight into
 * the frame buffers; buffers are reused once their frames are released), and report how it ended.
 *
 * Ending (spec B3.2): a clean EOF, a 5 s silence or a reset *between* frames is an end-of-stream;
 * any of them *inside* a frame, or garbage/CRC/length faults, is a {@link StreamError}. Frames that
 * were complete before a fault are still delivered first. Flow control: the socket is paused while
 * more than `maxQueuedBytes` of frames wait to be written, so a slow disk slows the sender (TCP
 * back-pressure) instead of growing memory; a paused socket does not count as silent.
 */
import net from 'node:net';
import { FrameDecoder, type G3Error, type G3Frame } from '@smurf-ocs/g3-frame';
import { StreamError } from './errors.js';

/** Smallest socket read into the decoder (a frame's known remainder is offered whole). */
const MIN_READ = 256 * 1024;

/** How a stream ended without a fault. */
export type StreamEndReason = 'eof' | 'timeout' | 'reset' | 'closed';

/** Options of {@link StreamConnection.connect}. */
export interface StreamOptions {
  host: string;
  port: number;
  /** Silence (no byte) after which the stream is considered ended, ms. Python: 5000. */
  idleTimeoutMs?: number;
  /** Give up a connect attempt after this long, ms. Default 5000 (Python: none). */
  connectTimeoutMs?: number;
  /** Pause reading while this many bytes of frames are queued. Default 64 MiB. */
  maxQueuedBytes?: number;
  /** Largest accepted frame, bytes. Default 1 GiB. */
  maxFrameBytes?: number;
  signal?: AbortSignal;
}

type Next = { frame: G3Frame } | { end: StreamEndReason } | { error: StreamError };

/** One TCP connection to a G3NetworkSender. */
export class StreamConnection {
  private readonly queue: G3Frame[] = [];
  private queuedBytes = 0;
  private terminal: Next | undefined;
  private wake: (() => void) | undefined;
  private paused = false;
  /** Bytes received on this connection. */
  bytesReceived = 0;

  private readonly decoder: FrameDecoder;

  private constructor(
    private readonly socket: net.Socket,
    decoder: FrameDecoder,
    private readonly maxQueuedBytes: number,
    private readonly idleTimeoutMs: number,
  ) {
    this.decoder = decoder;
    socket.on('end', () => this.finish('eof'));
    socket.on('error', (err) => this.finish('reset', err));
    socket.on('close', () => this.finish('closed'));
    // The silence timer fires once per idle period; it is ignored while we paused reading.
    socket.on('timeout', () => {
      if (!this.paused) this.finish('timeout');
    });
    this.armIdleTimer();
  }

  /** (Re)start the silence timer. */
  private armIdleTimer(): void {
    this.socket.setTimeout(this.idleTimeoutMs);
  }

  /**
   * Connect to `tcp://host:port`. Rejects with the socket error (ECONNREFUSED, ETIMEDOUT, ...) or
   * an AbortError.
   */
  static connect(o: StreamOptions): Promise<StreamConnection> {
    return new Promise((resolve, reject) => {
      // Zero-copy receive: the kernel copies straight into the frame buffer (no 64 KiB chunks).
      // deferErrors: frames completed before a fault are delivered, then the fault.
      const decoder = new FrameDecoder({ maxFrameBytes: o.maxFrameBytes ?? 1 << 30, deferErrors: true });
      let conn: StreamConnection | undefined;
      let dead: Uint8Array | undefined;
      const socket = net.connect({
        host: o.host, port: o.port,
        onread: {
          // After a fault the socket is being destroyed; a read still in flight lands in a scratch buffer.
          buffer: () => (decoder.error ? (dead ??= new Uint8Array(MIN_READ)) : decoder.reserve(MIN_READ)),
          callback: (n: number) => conn?.onRead(n) !== false,
        },
      });
      const fail = (err: Error): void => {
        cleanup();
        socket.destroy();
        reject(err);
      };
      const onAbort = (): void => fail(new DOMException('connect aborted', 'AbortError'));
      const timer = setTimeout(() => fail(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' })), o.connectTimeoutMs ?? 5000);
      const cleanup = (): void => {
        clearTimeout(timer);
        socket.off('error', fail);
        o.signal?.removeEventListener('abort', onAbort);
      };
      socket.once('error', fail);
      o.signal?.addEventListener('abort', onAbort, { once: true });
      socket.once('connect', () => {
        cleanup();
        conn = new StreamConnection(socket, decoder, o.maxQueuedBytes ?? 64 << 20, o.idleTimeoutMs ?? 5000);
        resolve(conn);
      });
    });
  }

  /** The next frame, or how the stream ended. After the end, always returns the same end. */
  async next(): Promise<Next> {
    for (;;) {
      const frame = this.queue.shift();
      if (frame) {
        this.queuedBytes -= frame.raw?.byteLength ?? 0;
        if (this.paused && this.queuedBytes <= this.maxQueuedBytes / 2 && !this.terminal) {
          this.paused = false;
          this.socket.resume();
          this.armIdleTimer();
        }
        return { frame };
      }
      if (this.terminal) return this.terminal;
      await new Promise<void>((r) => (this.wake = r));
    }
  }

  /** The caller is done with a frame from {@link next} (written or dropped); its memory may be reused. */
  release(frame: G3Frame): void {
    this.decoder.release(frame);
  }

  /** Close the connection now. Idempotent. */
  close(): void {
    this.finish('closed');
  }

  /** @internal `n` bytes arrived in the decoder's buffer. */
  onRead(n: number): boolean {
    if (this.terminal || this.decoder.error) return false;
    this.bytesReceived += n;
    // Frames completed before a fault are kept; the first fault ends the connection (spec B2.2:
    // no resynchronisation inside a stream).
    for (const f of this.decoder.commit(n)) this.enqueue(f);
    const error = this.decoder.error;
    if (error) {
      this.fail(error);
      return false;
    }
    if (this.queuedBytes > this.maxQueuedBytes && !this.paused) {
      this.paused = true;
      this.socket.pause();
    }
    this.notify();
    return true;
  }

  private enqueue(f: G3Frame): void {
    this.queue.push(f);
    this.queuedBytes += f.raw?.byteLength ?? 0;
  }

  private finish(reason: StreamEndReason, err?: Error): void {
    if (this.terminal) return;
    const pending = this.decoder.pending;
    if (pending > 0 && reason !== 'closed') {
      const what = reason === 'timeout' ? 'stalled for the idle timeout' : reason === 'eof' ? 'closed by the sender' : `reset (${err?.message ?? 'error'})`;
      this.terminal = { error: new StreamError(`Stream ${what} inside a frame (${pending} bytes of it received)`, { cause: err }) };
    } else {
      this.terminal = { end: reason };
    }
    this.socket.destroy();
    this.notify();
  }

  private fail(err: G3Error): void {
    this.terminal = { error: new StreamError(`Bad data from the sender: ${err.message}`, { cause: err }) };
    this.socket.destroy();
    this.notify();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}
