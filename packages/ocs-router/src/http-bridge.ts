/**
 * HTTP caller bridge `POST /call` with crossbar's semantics (ocs-protocol.md 3.2; crossbar
 * `bridge/rest/caller.py`, `common.py`): POST/PUT, OPTIONS 200 with CORS, others 405;
 * Content-Type missing or `application/json` (utf-8); body a JSON object with `procedure`;
 * result -> 200 `{"args":[value]}`; WAMP error -> 200 `{"error","args","kwargs"}`; bad
 * request -> 4xx `{"error":"<text>","args":[],"kwargs":{}}`; anything else -> 500.
 * JSON is read and written with wamp-codec (floats stay floats, NaN tokens both ways).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJson, stringifyJson, WampCodecError } from '@smurf-ocs/wamp-codec';
import type { Logger } from 'pino';
import type { BridgeOutcome, BridgeSession } from './bridge-session.js';
import { isDict, type Dict } from './wamp-messages.js';

/** A rejected request: status and crossbar-style error text. */
class Deny {
  constructor(
    readonly status: number,
    readonly text: string,
  ) {}
}

const CRASH = { error: 'wamp.error.runtime_error', args: ['Sorry, Crossbar.io has encountered a problem.'], kwargs: {} };

/** Options of the bridge handler. */
export interface HttpBridgeOptions {
  readonly session: BridgeSession;
  /** Maximum request body in bytes (413 beyond). */
  readonly maxBodyBytes: number;
  readonly log: Logger;
  /** Called once per request (counters). */
  readonly onRequest: () => void;
}

/** Handles one request on the bridge path. */
export async function handleBridgeRequest(req: IncomingMessage, res: ServerResponse, o: HttpBridgeOptions): Promise<void> {
  o.onRequest();
  setCommonHeaders(res);
  try {
    if (req.method === 'OPTIONS') return reply(res, 200, undefined, corsPreflight(req));
    if (req.method !== 'POST' && req.method !== 'PUT') {
      throw new Deny(405, `HTTP/${req.method ?? '?'} not allowed (allowed: POST, PUT)`);
    }
    checkContentType(req.headers['content-type']);
    const body = await readBody(req, o.maxBodyBytes);
    const { procedure, args, kwargs } = parseRequest(body);
    const abort = new AbortController();
    res.on('close', () => abort.abort());
    const outcome = await o.session.call(procedure, args, kwargs, abort.signal);
    reply(res, 200, renderOutcome(outcome));
  } catch (err) {
    if (err instanceof Deny) {
      if (err.status === 413) res.once('finish', () => req.socket.destroy()).setHeader('Connection', 'close');
      return reply(res, err.status, { error: err.text, args: [], kwargs: {} });
    }
    o.log.error({ err }, 'HTTP bridge failure');
    reply(res, 500, CRASH);
  }
}

/** crossbar's mapping of a call outcome to the 200 body. */
function renderOutcome(o: BridgeOutcome): Dict {
  const args = o.args ?? [];
  const kwargs = o.kwargs ?? {};
  if (o.kind === 'error') return { error: o.uri, args, kwargs };
  const hasKw = Object.keys(kwargs).length > 0;
  // autobahn-python returns a single positional result as the value itself, none as None,
  // and anything else as CallResult(*args, **kwargs); the bridge renders each accordingly.
  if (!hasKw && args.length <= 1) return { args: [args.length === 1 ? args[0] : null] };
  const body: Dict = {};
  if (args.length > 0) body.args = args;
  if (hasKw) body.kwargs = kwargs;
  return body;
}

function setCommonHeaders(res: ServerResponse): void {
  res.setHeader('Cache-Control', 'no-store, no-cache, must-revalidate, max-age=0');
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Allow-Credentials', 'true');
}

function corsPreflight(req: IncomingMessage): Record<string, string> {
  const requested = req.headers['access-control-request-headers'];
  return {
    'Access-Control-Allow-Methods': 'POST,PUT,OPTIONS',
    'Access-Control-Allow-Headers': typeof requested === 'string' ? requested : 'content-type,authorization',
  };
}

function checkContentType(header: string | undefined): void {
  if (header === undefined || header.trim() === '') return;
  const [type, ...params] = header.split(';').map((p) => p.trim().toLowerCase());
  if (type !== 'application/json') throw new Deny(400, "bad or missing content type, should be 'application/json'");
  for (const p of params) {
    const [key, value] = p.split('=').map((s) => s.trim());
    if (key === 'charset' && value !== 'utf-8' && value !== 'utf8') {
      throw new Deny(400, `'${value ?? ''}' is not an accepted charset encoding, must be utf-8`);
    }
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        // Answer first, then drop the connection (destroying now would lose the 413).
        req.removeAllListeners('data');
        req.resume();
        reject(new Deny(413, `HTTP/POST|PUT body exceeds ${limit} bytes`));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

function parseRequest(body: Buffer): { procedure: string; args: unknown[]; kwargs: Dict } {
  let text: string;
  try {
    text = UTF8.decode(body);
  } catch {
    throw new Deny(400, 'invalid request event - HTTP/POST|PUT body was invalid UTF-8');
  }
  let event: unknown;
  try {
    event = parseJson(text, { lossless: true });
  } catch (err) {
    if (!(err instanceof WampCodecError)) throw err;
    throw new Deny(400, `invalid request event - HTTP/POST|PUT body must be valid JSON: ${err.message}`);
  }
  if (!isDict(event)) throw new Deny(400, 'invalid request event - HTTP/POST|PUT body must be JSON dict');
  if (!('procedure' in event)) throw new Deny(400, "invalid request event - HTTP/POST|PUT body must contain a 'procedure' field");
  const { procedure } = event;
  if (typeof procedure !== 'string') throw new Deny(400, "invalid request event - 'procedure' must be a string");
  // crossbar: `args`/`kwargs` default to []/{} when missing or falsy.
  const args = event.args ?? [];
  const kwargs = event.kwargs ?? {};
  if (!Array.isArray(args) && !isFalsy(args)) throw new Deny(400, "invalid request event - 'args' must be a list");
  if (!isDict(kwargs) && !isFalsy(kwargs)) throw new Deny(400, "invalid request event - 'kwargs' must be a dict");
  return { procedure, args: Array.isArray(args) ? args : [], kwargs: isDict(kwargs) ? kwargs : {} };
}

function isFalsy(v: unknown): boolean {
  return v === null || v === false || v === 0 || v === '';
}

function reply(res: ServerResponse, status: number, body: Dict | undefined, headers?: Record<string, string>): void {
  if (res.headersSent || res.destroyed) return;
  const text = body === undefined ? '' : stringifyJson(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
