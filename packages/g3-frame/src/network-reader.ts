/**
 * {@link G3StreamReader}: spt3g's `G3Reader('tcp://host:port', timeout=…)` (g3-format.md §5.2).
 * Connects (or, for `tcp://*:port`, listens and accepts one sender), never writes, and yields
 * frames. Reading is pull-driven: bytes are only taken from the socket when the consumer asks for
 * the next frame, so TCP back-pressure reaches the sender.
 *
 * Timeout semantics (SO_RCVTIMEO): while waiting for bytes, `timeout` seconds without any byte
 * is end-of-stream — between frames the stream ends cleanly, inside a frame it is an error
 * (G3_ERR_TRUNCATED). The timer only runs while the consumer waits. After the end the reader is
 * dead; reconnect with a new one.
 */
import { once } from 'node:events';
import { createServer, connect, type Socket } from 'node:net';
import { G3ConnectError, G3Error } from './errors.js';
import { FrameDecoder, type FrameDecoderOptions } from './frame-decoder.js';
import type { G3Frame } from './frame.js';

/** Options of {@link G3StreamReader.connect}. */
export interface StreamReaderOptions extends FrameDecoderOptions {
  /**
   * Seconds without a byte (while waiting) that count as end of stream; negative (default −1)
   * waits forever. Not applied while accepting in `tcp://*:port` mode (as python).
   */
  timeout?: number;
  /** Abort connecting/reading. */
  signal?: AbortSignal;
  /** `tcp://*:port` only: called with the bound port once listening (useful with port 0). */
  onListening?: (port: number) => void;
}

/** Host/port of a `tcp://host:port` URL; host `*` means listen. */
export function parseTcpUrl(url: string): { host: string; port: number } {
  const m = /^tcp:\/\/(\[[^\]]+\]|[^:/]+):(\d+)\/?$/.exec(url);
  if (!m) throw new G3ConnectError(`not a tcp://host:port URL: ${url}`);
  const host = m[1]!.replace(/^\[|\]$/g, '');
  return { host, port: Number(m[2]) };
}

type Chunk = Buffer | 'eof' | 'timeout';

/** A one-way frame reader over one TCP connection. */
export class G3StreamReader implements AsyncIterable<G3Frame> {
  private readonly decoder: FrameDecoder;
  private readonly ready: G3Frame[] = [];
  private done = false;
  private socketEnded = false;
  /** Bytes received so far. */
  bytesRead = 0;

  private constructor(
    private readonly socket: Socket,
    private readonly opts: StreamReaderOptions,
  ) {
    this.decoder = new FrameDecoder(opts);
    socket.pause();
    socket.on('end', () => (this.socketEnded = true));
    socket.on('close', () => (this.socketEnded = true));
    socket.on('error', () => (this.socketEnded = true));
  }

  /**
   * Connect to `tcp://host:port` (a listening {@link G3NetworkSender}), or listen on
   * `tcp://*:port` and accept one sender.
   * @throws G3ConnectError if the connection fails ("Could not connect to …")
   */
  static async connect(url: string, opts: StreamReaderOptions = {}): Promise<G3StreamReader> {
    const { host, port } = parseTcpUrl(url);
    const socket = host === '*' ? await acceptOne(port, opts.signal, opts.onListening) : await dial(host, port, opts.signal);
    return new G3StreamReader(socket, opts);
  }

  /**
   * The next frame (python `Process(None)`), or `undefined` at end of stream / timeout.
   * @throws G3Error for bad input (CRC, garbage, truncated frame at EOF or timeout)
   */
  async next(): Promise<G3Frame | undefined> {
    while (this.ready.length === 0) {
      if (this.done) return undefined;
      const c = await this.readChunk();
      if (typeof c === 'string') {
        this.close();
        this.ready.push(...this.decoder.end());
        continue;
      }
      this.bytesRead += c.length;
      try {
        this.ready.push(...this.decoder.push(c));
      } catch (e) {
        this.close();
        throw e;
      }
    }
    return this.ready.shift();
  }

  /** Iterate frames until end of stream; the connection is closed when iteration stops. */
  async *[Symbol.asyncIterator](): AsyncGenerator<G3Frame> {
    try {
      for (let f = await this.next(); f; f = await this.next()) yield f;
    } finally {
      this.close();
    }
  }

  /** Drop the connection (idempotent). Frames already decoded are still returned by next(). */
  close(): void {
    this.done = true;
    this.socket.destroy();
  }

  private readChunk(): Promise<Chunk> {
    const first = this.socket.read() as Buffer | null;
    if (first !== null) return Promise.resolve(first);
    if (this.socketEnded || this.socket.destroyed) return Promise.resolve('eof');
    const t = this.opts.timeout ?? -1;
    return new Promise<Chunk>((resolve) => {
      const s = this.socket;
      const finish = (v: Chunk): void => {
        s.off('readable', onReadable).off('end', onEnd).off('close', onEnd).off('error', onEnd);
        this.opts.signal?.removeEventListener('abort', onEnd);
        if (timer) clearTimeout(timer);
        resolve(v);
      };
      const onReadable = (): void => {
        const c = s.read() as Buffer | null;
        if (c !== null) finish(c);
        else if (this.socketEnded) finish('eof');
      };
      const onEnd = (): void => finish('eof');
      s.on('readable', onReadable).once('end', onEnd).once('close', onEnd).once('error', onEnd);
      this.opts.signal?.addEventListener('abort', onEnd, { once: true });
      const timer = t >= 0 ? setTimeout(() => finish('timeout'), t * 1000) : undefined;
    });
  }
}

/**
 * Frames from `tcp://host:port` as an async iterable (connect errors surface on first iteration).
 * See {@link G3StreamReader} for the semantics.
 */
export async function* readG3Stream(url: string, opts: StreamReaderOptions = {}): AsyncGenerator<G3Frame> {
  const r = await G3StreamReader.connect(url, opts);
  yield* r;
}

async function dial(host: string, port: number, signal?: AbortSignal): Promise<Socket> {
  const s = connect({ host, port, signal });
  try {
    await once(s, 'connect', { signal });
    return s;
  } catch (e) {
    s.destroy();
    const msg = e instanceof Error ? e.message : String(e);
    throw new G3ConnectError(`Could not connect to ${host}:${port} (${msg})`, { cause: e });
  }
}

async function acceptOne(port: number, signal?: AbortSignal, onListening?: (port: number) => void): Promise<Socket> {
  const server = createServer({ pauseOnConnect: true });
  try {
    await new Promise<void>((res, rej) => {
      server.once('error', rej);
      server.listen({ port, host: '::', ipv6Only: false, backlog: 1 }, () => res());
    });
    onListening?.((server.address() as { port: number }).port);
    const [socket] = (await once(server, 'connection', { signal })) as [Socket];
    return socket;
  } catch (e) {
    if (e instanceof G3Error) throw e;
    throw new G3ConnectError(`could not accept on port ${port}: ${(e as Error).message}`, { cause: e });
  } finally {
    server.close();
  }
}
