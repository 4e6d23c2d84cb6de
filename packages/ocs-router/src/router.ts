/**
 * The embedded router: one HTTP server, one port, WebSocket WAMP at `/ws` and the HTTP caller
 * bridge at `/call` (ocs-protocol.md 3.3-3.4). For tests and small local sites; a real site runs
 * crossbar with the OCS crossbar config.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { pickSerializer } from '@smurf-ocs/wamp-codec';
import { pino, type Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { BridgeSession } from './bridge-session.js';
import { newCounters, type RouterCounters } from './counters.js';
import { handleBridgeRequest } from './http-bridge.js';
import { randomId } from './ids.js';
import { keepAlive } from './keepalive.js';
import { resolveOptions, type ResolvedRouterOptions, type RouterOptions } from './options.js';
import { Realm } from './realm.js';
import { type SessionHost, WsSession } from './ws-session.js';

/** A running router. */
export interface Router extends AsyncDisposable {
  /** The bound TCP port (the ephemeral one when started with port 0). */
  readonly port: number;
  readonly host: string;
  /** WebSocket URL, `ws://host:port/ws`. */
  readonly url: string;
  /** HTTP caller bridge URL, `http://host:port/call`. */
  readonly httpUrl: string;
  /** The configured realms. */
  readonly realms: readonly string[];
  /** A snapshot of the diagnostic counters. */
  readonly counters: Readonly<RouterCounters>;
  /**
   * Sends GOODBYE (`wamp.close.system_shutdown`) to every session, closes the sockets (terminating
   * peers that do not close within `closeTimeoutMs`) and stops listening. Idempotent.
   */
  close(): Promise<void>;
}

/**
 * Starts a router and resolves once it listens.
 * @throws {RouterConfigError} on invalid options; the listen error (e.g. `EADDRINUSE`) if binding fails.
 */
export async function startRouter(options: RouterOptions = {}): Promise<Router> {
  const router = new OcsRouter(resolveOptions(options), options.logger);
  await router.listen();
  return router;
}

class OcsRouter implements Router, SessionHost {
  readonly counters = newCounters();
  readonly log: Logger;
  private readonly realmMap = new Map<string, Realm>();
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly sessions = new Set<WsSession>();
  private readonly sessionIds = new Set<number>();
  private readonly bridge: BridgeSession;
  private closing: Promise<void> | undefined;
  private boundPort = 0;

  constructor(
    private readonly o: ResolvedRouterOptions,
    logger: Logger | undefined,
  ) {
    this.log = logger ?? pino({ name: 'ocs-router', level: process.env.LOGLEVEL ?? 'warn' });
    for (const name of o.realms) {
      this.realmMap.set(name, new Realm(name, { addressRoot: o.addressRoot, allowAll: o.allowAll }, this.counters, this.log.child({ realm: name })));
    }
    this.bridge = new BridgeSession(this.realmMap.get(o.bridgeRealm)!);
    this.wss = new WebSocketServer({ noServer: true, maxPayload: o.maxMessageBytes, handleProtocols: (p) => pickSerializer(p)?.id ?? false });
    this.server = createServer((req, res) => this.onRequest(req, res));
    this.server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
  }

  get port(): number {
    return this.boundPort;
  }
  get host(): string {
    return this.o.host;
  }
  get url(): string {
    return `ws://${urlHost(this.o.host)}:${this.boundPort}${this.o.wsPath}`;
  }
  get httpUrl(): string {
    return `http://${urlHost(this.o.host)}:${this.boundPort}${this.o.callPath}`;
  }
  get realms(): readonly string[] {
    return this.o.realms;
  }

  realm(name: string): Realm | undefined {
    return this.closing === undefined ? this.realmMap.get(name) : undefined;
  }

  newSessionId(): number {
    const id = randomId(this.sessionIds);
    this.sessionIds.add(id);
    return id;
  }

  releaseSessionId(id: number): void {
    this.sessionIds.delete(id);
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.o.port, this.o.host, () => {
        this.server.off('error', reject);
        const addr = this.server.address();
        this.boundPort = typeof addr === 'object' && addr !== null ? addr.port : this.o.port;
        this.log.info({ url: this.url, httpUrl: this.httpUrl, realms: this.o.realms }, 'router listening');
        resolve();
      });
    });
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if (path === this.o.callPath) {
      void handleBridgeRequest(req, res, {
        session: this.bridge,
        maxBodyBytes: this.o.maxMessageBytes,
        log: this.log.child({ component: 'http-bridge' }),
        onRequest: () => this.counters.httpRequests++,
      });
      return;
    }
    if (path === '/info' && req.method === 'GET') {
      const body = JSON.stringify({ router: 'ocs-router', realms: this.o.realms, counters: this.counters });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
  }

  /** WebSocket upgrade at `wsPath` only; a client offering no supported subprotocol gets 400 (as crossbar). */
  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '/').split('?')[0];
    const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
    const refuse = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (this.closing !== undefined) return refuse('503 Service Unavailable');
    if (path !== this.o.wsPath) return refuse('404 Not Found');
    if (pickSerializer(offered) === undefined) return refuse('400 Bad Request');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onConnection(ws, req));
  }

  private onConnection(ws: WebSocket, req: IncomingMessage): void {
    const serializer = pickSerializer([ws.protocol])!;
    const log = this.log.child({ peer: `${req.socket.remoteAddress}:${req.socket.remotePort}` });
    const session = new WsSession(ws, serializer, this, log);
    this.sessions.add(session);
    const stop = keepAlive(ws, this.o.pingIntervalMs, this.o.pingTimeoutMs, () => {
      log.warn('no pong within the ping timeout, dropping peer');
      ws.terminate();
    });
    ws.on('close', () => {
      stop();
      this.sessions.delete(session);
    });
  }

  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /**
   * Order matters: refuse new upgrades first (closing flag), say GOODBYE to joined sessions and
   * fail waiting HTTP calls, then wait for the sockets to close (terminating stragglers), and
   * only then stop the HTTP server, whose close() waits for every connection to end.
   */
  private async doClose(): Promise<void> {
    this.log.info('router closing');
    const sockets = [...this.wss.clients];
    const closed = Promise.all(sockets.map((ws) => (ws.readyState === ws.CLOSED ? undefined : new Promise((r) => ws.once('close', r)))));
    for (const s of this.sessions) s.shutdown();
    this.bridge.cancelAll();
    const timer = setTimeout(() => sockets.forEach((ws) => ws.terminate()), this.o.closeTimeoutMs);
    await closed;
    clearTimeout(timer);
    const results = await Promise.allSettled([
      new Promise<void>((resolve, reject) => this.wss.close((err) => (err ? reject(err) : resolve()))),
      new Promise<void>((resolve, reject) => {
        this.server.close((err) => (err ? reject(err) : resolve()));
        this.server.closeAllConnections();
      }),
    ]);
    for (const r of results) if (r.status === 'rejected') this.log.warn({ err: r.reason }, 'error while closing');
    this.log.info('router closed');
  }
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
