/**
 * The transport-independent interface OCSClient uses to reach an agent, and the HTTP caller
 * bridge implementation (ocs-protocol.md §3.1, Python `ocs/client_http.py`).
 */
import http from 'node:http';
import https from 'node:https';
import { ControlClientError, CONNECTION_ERROR_URI, REQUEST_ERROR_URI } from './errors.js';
import { jsonCodec } from './json-codec.js';

/** Which way OCSClient talks to the router. */
export type TransportKind = 'http' | 'wamp';

/** A WAMP-style RPC path to the router; `call` returns the first positional result. */
export interface ControlTransport {
  /** `'http'` (crossbar caller bridge) or `'wamp'` (WebSocket session). */
  readonly kind: TransportKind;
  /**
   * Call `procedure(*args, **kwargs)` and return the first positional result (`args[0]`), as
   * `client_http.call()` does. Throws {@link ControlClientError} on any failure.
   */
  call(procedure: string, args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>): Promise<unknown>;
  /** Release sockets. Idempotent. */
  close(): Promise<void>;
}

interface HttpResponse {
  statusCode: number;
  body: string;
}

/**
 * Calls through the HTTP caller bridge: `POST <url>` with body
 * `{"procedure": uri, "args": [...], "kwargs": {...}}`, no Content-Type header and no timeout,
 * exactly as `requests.post(url, data=...)` does (ocs-protocol.md §3.1).
 */
export class HttpControlTransport implements ControlTransport {
  readonly kind = 'http' as const;
  /** Bridge URL, e.g. `http://127.0.0.1:8001/call`. */
  readonly url: string;
  readonly #agent: http.Agent;

  constructor(url: string) {
    this.url = url;
    const isHttps = new URL(url).protocol === 'https:';
    this.#agent = isHttps ? new https.Agent({ keepAlive: true }) : new http.Agent({ keepAlive: true });
  }

  async call(procedure: string, args: readonly unknown[], kwargs: Readonly<Record<string, unknown>>): Promise<unknown> {
    const body = jsonCodec.stringify({ procedure, args, kwargs });
    const res = await this.#post(body);
    if (res.statusCode !== 200) {
      throw new ControlClientError(REQUEST_ERROR_URI, [`Server replied with code ${res.statusCode}`]);
    }
    let decoded: unknown;
    try {
      decoded = jsonCodec.parse(res.body);
    } catch (err) {
      throw new ControlClientError(REQUEST_ERROR_URI, ['Server reply is not valid JSON'], {}, { cause: err });
    }
    if (decoded === null || typeof decoded !== 'object' || Array.isArray(decoded)) {
      throw new ControlClientError(REQUEST_ERROR_URI, ['Server reply is not a JSON object']);
    }
    const reply = decoded as { error?: unknown; args?: unknown; kwargs?: unknown };
    if ('error' in reply) {
      const errArgs = Array.isArray(reply.args) ? reply.args : [];
      const errKw = reply.kwargs !== null && typeof reply.kwargs === 'object' ? (reply.kwargs as Record<string, unknown>) : {};
      throw new ControlClientError(String(reply.error), errArgs, errKw);
    }
    // The bridge omits "args" for a kwargs-only result; Python would raise KeyError there.
    return Array.isArray(reply.args) ? (reply.args[0] ?? null) : null;
  }

  #post(body: string): Promise<HttpResponse> {
    const payload = Buffer.from(body, 'utf8');
    const mod = this.url.startsWith('https:') ? https : http;
    return new Promise<HttpResponse>((resolve, reject) => {
      const req = mod.request(
        this.url,
        { method: 'POST', agent: this.#agent, headers: { 'Content-Length': payload.length } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ statusCode: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', (err) => reject(this.#connectionError(err)));
        },
      );
      req.on('error', (err) => reject(this.#connectionError(err)));
      req.end(payload);
    });
  }

  #connectionError(cause: Error): ControlClientError {
    return new ControlClientError(CONNECTION_ERROR_URI, [`Failed to connect to ${this.url}`], {}, { cause });
  }

  async close(): Promise<void> {
    this.#agent.destroy();
  }
}
