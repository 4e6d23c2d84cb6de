/**
 * `@smurf-ocs/ocs-router`: a small crossbar-compatible WAMP router with the HTTP caller bridge,
 * for local runs and tests (ocs-protocol.md 3.2-3.4). Production sites keep crossbar.
 *
 * @packageDocumentation
 */
export { startRouter, type Router } from './router.js';
export type { RouterOptions } from './options.js';
export type { RouterCounters } from './counters.js';
export { RouterError, RouterConfigError, ProtocolViolationError, type RouterErrorCode } from './errors.js';
export { runCli } from './cli.js';
