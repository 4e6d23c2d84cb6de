/**
 * The small part of autobahn-js 22.11.1 the client uses, typed locally (autobahn ships no
 * types). Loaded with `createRequire` because autobahn is CommonJS.
 * @internal
 */
import { createRequire } from 'node:module';

/** EVENT details as autobahn hands them to a handler. @internal */
export interface AbEventDetails {
  publication: number;
  topic?: string;
  publisher?: number;
}

/** @internal */
export type AbEventHandler = (args: unknown[], kwargs: Record<string, unknown>, details: AbEventDetails) => void;

/** @internal */
export interface AbSubscription {
  readonly topic: string;
  readonly active: boolean;
}

/** @internal */
export interface AbSession {
  readonly isOpen: boolean;
  readonly id: number | null;
  call(procedure: string, args?: unknown[], kwargs?: Record<string, unknown>, options?: Record<string, unknown>): PromiseLike<unknown>;
  subscribe(topic: string, handler: AbEventHandler, options?: Record<string, unknown>): PromiseLike<AbSubscription>;
  unsubscribe(subscription: AbSubscription): PromiseLike<unknown>;
}

/** @internal */
export interface AbCloseDetails {
  reason?: string | null;
  message?: string;
  will_retry?: boolean;
}

/** @internal */
export interface AbConnection {
  onopen: ((session: AbSession, details: unknown) => void) | null;
  onclose: ((reason: string, details: AbCloseDetails) => boolean | void) | null;
  readonly isOpen: boolean;
  open(): void;
  close(reason?: string, message?: string): void;
}

/** autobahn serializer object shape (`lib/serializer.js`). @internal */
export interface AbSerializer {
  SERIALIZER_ID: string;
  BINARY: boolean;
  serialize(obj: unknown): string | Uint8Array;
  unserialize(payload: string | Uint8Array): unknown;
}

/** @internal */
export interface AbModule {
  Connection: new (options: Record<string, unknown>) => AbConnection;
  Result: new (args: unknown[], kwargs: Record<string, unknown>) => { args: unknown[]; kwargs: Record<string, unknown> };
  Error: new (error: string, args?: unknown[], kwargs?: Record<string, unknown>) => { error: string; args: unknown[]; kwargs: Record<string, unknown> };
}

const require = createRequire(import.meta.url);

/** The loaded autobahn module. @internal */
export const autobahn = require('autobahn') as AbModule;

/**
 * autobahn prints every connection close with `console.warn` (lib/log.js). CLIs that own
 * stderr call this to route those lines elsewhere (or drop them). Affects the whole process.
 * @internal
 */
export function setAutobahnWarn(warn: (...args: unknown[]) => void): void {
  const log = require('autobahn/lib/log.js') as { warn: (...args: unknown[]) => void };
  log.warn = warn;
}
