/**
 * WebSocket keep-alive as crossbar does it (ocs-protocol.md 1.1): a ping every
 * `auto_ping_interval` with a 4-byte payload; no pong within `auto_ping_timeout` drops the peer.
 */
import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';

/** Starts pinging `ws`; returns a function that stops it. `intervalMs` 0 disables. */
export function keepAlive(ws: WebSocket, intervalMs: number, timeoutMs: number, onDead: () => void): () => void {
  if (intervalMs <= 0) return () => {};
  let deadline: NodeJS.Timeout | undefined;
  const onPong = (): void => {
    clearTimeout(deadline);
    deadline = undefined;
  };
  ws.on('pong', onPong);
  const timer = setInterval(() => {
    if (deadline !== undefined || ws.readyState !== ws.OPEN) return;
    ws.ping(randomBytes(4));
    deadline = setTimeout(onDead, timeoutMs);
    deadline.unref();
  }, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    clearTimeout(deadline);
    ws.off('pong', onPong);
  };
}
