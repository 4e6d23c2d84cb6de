/**
 * Raw HTTP bridge calls (ocs-protocol.md 3.1): `POST {procedure, args, kwargs}` with no
 * Content-Type, as Python `requests.post(url, data=...)` sends it.
 */
import { parseJson } from '@smurf-ocs/wamp-codec';
import { wireText } from '../agent/wire-text.js';

/** Result of {@link httpCall}. */
export interface HttpCallResult {
  /** HTTP status. */
  status: number;
  /** Parsed body (NaN tokens accepted; floats as plain numbers). */
  body: { args?: unknown[]; kwargs?: Record<string, unknown>; error?: string };
  /** Raw body text. */
  text: string;
}

/** POST to the bridge; returns status, parsed body and raw text. */
export async function httpCall(httpUrl: string, procedure: string, args: unknown[] = [], kwargs: Record<string, unknown> = {}): Promise<HttpCallResult> {
  const res = await fetch(httpUrl, { method: 'POST', body: new TextEncoder().encode(JSON.stringify({ procedure, args, kwargs })) });
  const text = await res.text();
  return { status: res.status, body: parseJson(text) as HttpCallResult['body'], text };
}

/** `args[0]` of a successful bridge call; throws with the error URI otherwise. */
export async function httpResult(httpUrl: string, procedure: string, args: unknown[] = [], kwargs: Record<string, unknown> = {}): Promise<unknown> {
  const r = await httpCall(httpUrl, procedure, args, kwargs);
  if (r.body.error !== undefined) throw new Error(`${r.body.error}: ${wireText(r.body.args)}`);
  return r.body.args?.[0];
}
