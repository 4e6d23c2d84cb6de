/**
 * Client side of `@smurf-ocs/ocs-agent-core`: OCSClient (Python `ocs.ocs_client.OCSClient`), the
 * HTTP caller-bridge and WAMP transports, a WAMP client session for feed subscriptions, password
 * and site-config helpers, and the `ocs-client` CLI entry (`runClientCli`).
 */
export {
  CONNECTION_ERROR_URI,
  REQUEST_ERROR_URI,
  OcsClientError,
  ControlClientError,
  ReplyShapeError,
  SiteConfigError,
  PasswordFileError,
  ClientUsageError,
} from './errors.js';
export {
  responseCodeName,
  opCodeName,
  hasSession,
  parseOpsReply,
  parseAgentApi,
  type OCSReply,
  type ReplySession,
  type AgentApi,
  type ApiOpInfo,
  type ApiOpEntry,
  type ApiFeedInfo,
} from './reply.js';
export { jsonCodec, type JsonCodec } from './json-codec.js';
export { HttpControlTransport, type ControlTransport, type TransportKind } from './control-transport.js';
export { WampControlTransport } from './wamp-transport.js';
export {
  WampClientSession,
  CANCELED_URI,
  type WampSessionOptions,
  type WampEvent,
  type WampSubscription,
  type WampCallResult,
  type MatchPolicy,
} from './wamp-session.js';
export { resolvePassword, passwordsFilePath, fnmatch, type Privs } from './passwords.js';
export { resolveHubSettings, DEFAULT_ADDRESS_ROOT, type HubSettings, type SiteOptions } from './site-hub.js';
export { MatchedTask, MatchedProcess, opNameToKey, type MatchedOp, type OpAction, type OpRequest, type OpRequester } from './matched-op.js';
export { OCSClient, type OCSClientOptions, type OpKinds, type MatchedOps } from './ocs-client.js';
export { runClientCli, buildProgram, type CliIo } from './cli/program.js';
export { formatReply, formatApi, formatStatusTable, humanizedTime, summarizeFeedMessage } from './cli/format.js';
export { parseParamItem, parseParams } from './cli/params.js';
export { resolveFeedTopic, scanHeartbeats, type ScannedAgent, type TopicSpec } from './cli/feeds.js';
