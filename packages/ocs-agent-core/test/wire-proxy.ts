/**
 * A logging WebSocket proxy between an agent and the router: every frame the agent sends
 * (`dir: 'tx'`) and receives (`dir: 'rx'`) is kept as exact text.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/** One captured frame. */
export interface Frame {
  dir: 'tx' | 'rx';
  raw: string;
  t: number;
}

/** A running proxy; `url` is what the agent connects to. */
export interface WireProxy extends AsyncDisposable {
  url: string;
  frames: Frame[];
}

/** Options of {@link startWireProxy}. */
export interface WireProxyOptions {
  /**
   * Called for every router-to-agent frame; the frame (and every later one, order is kept) is
   * forwarded once the returned promise resolves. Lets a test hold e.g. SUBSCRIBED.
   */
  beforeRx?: (raw: string) => Promise<void> | void;
}

/** Start a proxy forwarding to `routerUrl` (JSON subprotocol). */
export async function startWireProxy(routerUrl: string, opts: WireProxyOptions = {}): Promise<WireProxy> {
  const frames: Frame[] = [];
  const server = createServer();
  const wss = new WebSocketServer({ server, handleProtocols: (protocols) => (protocols.has('wamp.2.json') ? 'wamp.2.json' : false) });
  wss.on('connection', (agentWs) => {
    const upstream = new WebSocket(routerUrl, ['wamp.2.json']);
    const pending: string[] = [];
    upstream.on('open', () => pending.splice(0).forEach((m) => upstream.send(m)));
    agentWs.on('message', (data) => {
      const raw = data.toString();
      frames.push({ dir: 'tx', raw, t: Date.now() });
      if (upstream.readyState === WebSocket.OPEN) upstream.send(raw);
      else pending.push(raw);
    });
    let rxChain: Promise<void> = Promise.resolve();
    upstream.on('message', (data) => {
      const raw = data.toString();
      frames.push({ dir: 'rx', raw, t: Date.now() });
      rxChain = rxChain.then(() => opts.beforeRx?.(raw)).then(() => agentWs.send(raw));
    });
    upstream.on('close', () => agentWs.close());
    agentWs.on('close', () => upstream.close());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/ws`,
    frames,
    [Symbol.asyncDispose]: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      await new Promise((r) => server.close(r));
    },
  };
}
