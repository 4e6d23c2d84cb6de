/**
 * `@smurf-ocs/ocs-agent-core`: the OCS agent framework (docs/design/agent-api.md), wire protocol
 * per ../shared/specs/ocs-protocol.md.
 *
 * @packageDocumentation
 */
export * from './client/index.js';
export * from './errors.js';
export { createLogger, pyLogTimestamp, type Logger, type LoggerOptions } from './logging.js';
export { float, WampFloat, isWampFloat } from '@smurf-ocs/wamp-codec';
export { defineAgent, createAgent, runAgent, type AgentInstance, type CreateAgentOptions } from './agent/define-agent.js';
export type { AgentDefinition, AgentHandle, OpContext, StopContext, OpDef, TaskDef, ProcessDef, OpResult, OcsReply, FeedEvent, SubscribeOptions, ParsedArgs, OpParams } from './agent/types.js';
export type { OpSessionView, EncodedSession } from './agent/op-session.js';
export { param, type ParamDecl, type ParamSpec, type PyType } from './agent/params.js';
export type { FeedOptions, FeedInfo, RecordMessage } from './agent/feed.js';
export { ResponseCode, OpCode, type SessionStatus, type OpCodeValue, type ResponseCodeValue } from './agent/op-codes.js';
export { credLevelName, parseAccessPolicy, type AccessPolicy } from './agent/access.js';
export type { CommonArgs } from './config/common-args.js';
export { parseAgentArgs, type ParsedAgentArgs } from './config/parse-args.js';
export { mergeArgs, splitArgs } from './config/arg-container.js';
export { pyRepr, pyStr, pyFloatRepr } from './agent/py-repr.js';
export { abortableSleep } from './agent/ops-engine.js';
export type { SerializerName } from './wamp/serializers.js';
