/**
 * WAMP v2 message type codes and the error URIs the router emits (WAMP spec, "Message Codes and
 * Direction"; crossbar `router/dealer.py` and `router/broker.py` for the error texts, ocs-protocol.md 3.2).
 */

/** Message type codes (first element of every WAMP message). */
export const MSG = {
  HELLO: 1, // [HELLO, Realm|uri, Details|dict]
  WELCOME: 2, // [WELCOME, Session|id, Details|dict]
  ABORT: 3, // [ABORT, Details|dict, Reason|uri]
  GOODBYE: 6, // [GOODBYE, Details|dict, Reason|uri]
  ERROR: 8, // [ERROR, REQUEST.Type|int, REQUEST.Request|id, Details|dict, Error|uri, Arguments?, ArgumentsKw?]
  PUBLISH: 16, // [PUBLISH, Request|id, Options|dict, Topic|uri, Arguments?, ArgumentsKw?]
  PUBLISHED: 17, // [PUBLISHED, PUBLISH.Request|id, Publication|id]
  SUBSCRIBE: 32, // [SUBSCRIBE, Request|id, Options|dict, Topic|uri]
  SUBSCRIBED: 33, // [SUBSCRIBED, SUBSCRIBE.Request|id, Subscription|id]
  UNSUBSCRIBE: 34, // [UNSUBSCRIBE, Request|id, SUBSCRIBED.Subscription|id]
  UNSUBSCRIBED: 35, // [UNSUBSCRIBED, UNSUBSCRIBE.Request|id]
  EVENT: 36, // [EVENT, SUBSCRIBED.Subscription|id, PUBLISHED.Publication|id, Details|dict, Arguments?, ArgumentsKw?]
  CALL: 48, // [CALL, Request|id, Options|dict, Procedure|uri, Arguments?, ArgumentsKw?]
  CANCEL: 49, // [CANCEL, CALL.Request|id, Options|dict]
  RESULT: 50, // [RESULT, CALL.Request|id, Details|dict, YIELD.Arguments?, YIELD.ArgumentsKw?]
  REGISTER: 64, // [REGISTER, Request|id, Options|dict, Procedure|uri]
  REGISTERED: 65, // [REGISTERED, REGISTER.Request|id, Registration|id]
  UNREGISTER: 66, // [UNREGISTER, Request|id, REGISTERED.Registration|id]
  UNREGISTERED: 67, // [UNREGISTERED, UNREGISTER.Request|id]
  INVOCATION: 68, // [INVOCATION, Request|id, REGISTERED.Registration|id, Details|dict, CALL.Arguments?, CALL.ArgumentsKw?]
  INTERRUPT: 69, // [INTERRUPT, INVOCATION.Request|id, Options|dict]
  YIELD: 70, // [YIELD, INVOCATION.Request|id, Options|dict, Arguments?, ArgumentsKw?]
} as const;

/** Error and close reason URIs used by the router. */
export const URI = {
  notAuthorized: 'wamp.error.not_authorized',
  noSuchProcedure: 'wamp.error.no_such_procedure',
  procedureAlreadyExists: 'wamp.error.procedure_already_exists',
  noSuchRegistration: 'wamp.error.no_such_registration',
  noSuchSubscription: 'wamp.error.no_such_subscription',
  noSuchRealm: 'wamp.error.no_such_realm',
  invalidUri: 'wamp.error.invalid_uri',
  invalidArgument: 'wamp.error.invalid_argument',
  canceled: 'wamp.error.canceled',
  protocolViolation: 'wamp.error.protocol_violation',
  runtimeError: 'wamp.error.runtime_error',
  goodbyeAndOut: 'wamp.close.goodbye_and_out',
  systemShutdown: 'wamp.close.system_shutdown',
} as const;

/** A WAMP dict (Details/Options/ArgumentsKw). */
export type Dict = Record<string, unknown>;

/** True for a plain WAMP dict (not an array, not null, not bytes). */
export function isDict(v: unknown): v is Dict {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

/**
 * Appends `args`/`kwargs` to `base` the way autobahn-python marshals them: kwargs only when
 * non-empty (then args too, `[]` if absent), else args only when non-empty. So payloads are
 * omitted when empty and never `null` (ocs-wire-transcript.md, quick reference).
 */
export function withPayload(base: unknown[], args: unknown[] | undefined, kwargs: Dict | undefined): unknown[] {
  if (kwargs !== undefined && Object.keys(kwargs).length > 0) base.push(args ?? [], kwargs);
  else if (args !== undefined && args.length > 0) base.push(args);
  return base;
}
