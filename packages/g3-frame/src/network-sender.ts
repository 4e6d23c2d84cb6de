/**
 * {@link G3NetworkSender}: spt3g's `G3NetworkSender` (g3-format.md §5.1). The TCP stream is the
 * file format: back-to-back frames, one way. Listen mode (`hostname='*'` in python) accepts
 * clients only when the next frame is sent, pre-loads each new client with the latest frame of
 * every non-Scan/Timepoint type (in order of first appearance), and with `maxQueueSize > 0`
 * drops Scan/Timepoint frames for a client whose queue is full. The producer never blocks.
 */
import { once } from 'node:events';
import { connect as netConnect, createServer, type Server, type Socket } from 'node:net';
import { encodeFrame } from './envelope.js';
import { G3ClosedError, G3ConnectError } from './errors.js';
import { FrameType } from './frame-type.js';
import type { G3Frame } from './frame.js';

/** Options of {@link G3NetworkSender.listen}. */
export interface NetworkSenderOptions {
  /** TCP port; 0 picks a free one (see {@link G3NetworkSender.port}). */
  port: number;
  /** Bind address; `'*'` (default) = all interfaces, IPv6 dual-stack (IPv4 too). */
  host?: string;
  /**
   * Per-client queue limit in frames; Scan/Timepoint frames are not queued for a client already
   * holding this many (metadata frames never dropped). 0 (default) = unbounded, as python.
   */
  maxQueueSize?: number;
}

/** Frame types that are neither cached for replay nor protected from dropping. */
function isDataType(type: number): boolean {
  return type === FrameType.Scan || type === FrameType.Timepoint;
}

class Client {
  readonly queue: Uint8Array[] = [];
  waitingDrain = false;
  dead = false;
  constructor(readonly socket: Socket) {
    socket.on('error', () => this.kill());
    socket.on('close', () => this.kill());
    socket.on('drain', () => {
      this.waitingDrain = false;
      this.pump();
    });
  }
  kill(): void {
    if (this.dead) return;
    this.dead = true;
    this.queue.length = 0;
    this.socket.destroy();
  }
  enqueue(buf: Uint8Array): void {
    if (this.dead) return;
    this.queue.push(buf);
    this.pump();
  }
  /** Hand queued frames to the socket, one at a time while it accepts more without buffering. */
  pump(): void {
    while (!this.dead && !this.waitingDrain && this.queue.length > 0) {
      const b = this.queue.shift()!;
      if (!this.socket.write(b)) this.waitingDrain = true;
    }
  }
  get idle(): boolean {
    return this.dead || (this.queue.length === 0 && this.socket.writableLength === 0);
  }
}

/** A frame broadcaster over TCP. Create with {@link G3NetworkSender.listen}. */
export class G3NetworkSender {
  private readonly clients: Client[] = [];
  private readonly pendingSockets: Socket[] = [];
  /** Latest frame per non-Scan/Timepoint type; Map order = first appearance of the type. */
  private readonly cache = new Map<number, Uint8Array>();
  #closed = false;
  /** Frames passed to {@link G3NetworkSender.send} (EndProcessing excluded). */
  framesSent = 0;
  /** Scan/Timepoint frames not queued for some client because its queue was full. */
  framesDropped = 0;

  private constructor(
    private readonly server: Server | undefined,
    private readonly maxQueueSize: number,
  ) {
    server?.on('connection', (s) => {
      if (this.#closed) s.destroy();
      else this.pendingSockets.push(s);
    });
  }

  /**
   * Connect to a listening reader (python `G3NetworkSender(host, port)` with a real hostname;
   * the reader side is `tcp://*:port`). One connection, opened now.
   * @throws G3ConnectError if nobody listens ("Could not connect to …")
   */
  static async connect(opts: { host: string; port: number; maxQueueSize?: number }): Promise<G3NetworkSender> {
    const socket = netConnect({ host: opts.host, port: opts.port });
    try {
      await once(socket, 'connect');
    } catch (e) {
      socket.destroy();
      throw new G3ConnectError(`Could not connect to ${opts.host}:${opts.port} (${(e as Error).message})`, { cause: e });
    }
    const sender = new G3NetworkSender(undefined, opts.maxQueueSize ?? 0);
    sender.clients.push(new Client(socket));
    return sender;
  }

  /**
   * Listen for readers (python `G3NetworkSender('*', port, max_queue_size)`).
   * @throws G3ConnectError if the port cannot be bound
   */
  static async listen(opts: NetworkSenderOptions): Promise<G3NetworkSender> {
    const server = createServer({ pauseOnConnect: false });
    const host = opts.host ?? '*';
    const tryListen = (h: string | undefined): Promise<void> =>
      new Promise((res, rej) => {
        server.once('error', rej);
        server.listen({ port: opts.port, host: h, ipv6Only: false, backlog: 10 }, () => {
          server.off('error', rej);
          res();
        });
      });
    try {
      if (host !== '*') await tryListen(host);
      else await tryListen('::').catch(() => tryListen('0.0.0.0'));
    } catch (e) {
      throw new G3ConnectError(`could not listen on ${host}:${opts.port}: ${(e as Error).message}`, { cause: e });
    }
    return new G3NetworkSender(server, opts.maxQueueSize ?? 0);
  }

  /** The bound TCP port. */
  get port(): number {
    const a = this.server?.address();
    return typeof a === 'object' && a ? a.port : 0;
  }

  /** Connections waiting to be accepted by the next {@link G3NetworkSender.send}. */
  get waitingClients(): number {
    return this.pendingSockets.filter((s) => !s.destroyed).length;
  }

  /** Connected clients (after the last {@link G3NetworkSender.send}). */
  get clientCount(): number {
    return this.clients.filter((c) => !c.dead).length;
  }

  /**
   * Send one frame to every client (python `Process(frame)`): serialize once (a copy of the raw
   * bytes for unmodified read frames), reap dead clients, accept waiting connections (replaying
   * the cache to them), then queue the frame. EndProcessing frames are not sent.
   * @throws G3ClosedError after close
   */
  send(frame: G3Frame): void {
    if (this.#closed) throw new G3ClosedError('G3NetworkSender');
    if (frame.type === FrameType.EndProcessing) return;
    const bytes = encodeFrame(frame);
    const droppable = isDataType(frame.type);
    // Order as spt3g Process(): accept waiting clients (pre-loaded with the cache as it was
    // before this frame), reap dead ones, queue this frame for all, then update the cache.
    for (const s of this.pendingSockets.splice(0)) {
      if (s.destroyed) continue;
      const c = new Client(s);
      for (const b of this.cache.values()) c.enqueue(b);
      this.clients.push(c);
    }
    for (let i = this.clients.length - 1; i >= 0; i--) if (this.clients[i]!.dead) this.clients.splice(i, 1);
    for (const c of this.clients) {
      if (droppable && this.maxQueueSize > 0 && c.queue.length >= this.maxQueueSize) this.framesDropped++;
      else c.enqueue(bytes);
    }
    if (!droppable) this.cache.set(frame.type, bytes);
    this.framesSent++;
  }

  /**
   * Bytes queued for the slowest live client and not yet taken by the kernel (frames waiting
   * plus the socket's write buffer). A producer that must not outrun its readers waits while
   * this is above its bound (`send` itself never blocks).
   */
  get queuedBytes(): number {
    let max = 0;
    for (const c of this.clients) {
      if (c.dead) continue;
      let n = c.socket.writableLength;
      for (const b of c.queue) n += b.length;
      if (n > max) max = n;
    }
    return max;
  }

  /** Resolve when every live client has handed all queued bytes to the kernel. */
  async flush(): Promise<void> {
    while (!this.clients.every((c) => c.idle)) await new Promise((r) => setTimeout(r, 5));
  }

  /**
   * Stop accepting, flush queued frames, then end the client connections (python never closes
   * them; readers see EOF at sender exit — here at close). Idempotent.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    // server.close() only calls back once every connection is gone, so end clients first.
    const server = this.server;
    const listenerClosed = server ? new Promise<void>((res) => server.close(() => res())) : Promise.resolve();
    for (const s of this.pendingSockets.splice(0)) s.destroy();
    await this.flush();
    await Promise.all(
      this.clients.map((c) => new Promise<void>((res) => (c.dead ? res() : c.socket.end(() => res())))),
    );
    for (const c of this.clients) c.socket.destroySoon();
    await listenerClosed;
  }

  /** Drop everything now: close listener and destroy client sockets. */
  destroy(): void {
    this.#closed = true;
    this.server?.close();
    for (const s of this.pendingSockets.splice(0)) s.destroy();
    for (const c of this.clients) c.kill();
  }
}
