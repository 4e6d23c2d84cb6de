/**
 * In-process OCS router for tests (wraps `@smurf-ocs/ocs-router`).
 */
import { startRouter as startOcsRouter, type Router } from '@smurf-ocs/ocs-router';
import pino from 'pino';

/** Options of {@link startRouter}. */
export interface TestRouterOptions {
  /** Realm; default `test_realm`. */
  realm?: string;
  /** Port; default 0 (ephemeral). Pass a fixed port to restart a router on the same address. */
  port?: number;
  /** Address root; default `observatory`. */
  addressRoot?: string;
}

/** A running test router: `{ url, httpUrl, port, close() }`, `await using`-disposable. */
export type TestRouter = Router;

/** Start an in-process router on 127.0.0.1 (silent logger). */
export async function startRouter(opts: TestRouterOptions = {}): Promise<TestRouter> {
  return startOcsRouter({
    port: opts.port ?? 0,
    realms: [opts.realm ?? 'test_realm'],
    addressRoot: opts.addressRoot ?? 'observatory',
    logger: pino({ level: process.env.ROUTER_LOGLEVEL ?? 'silent' }),
  });
}
