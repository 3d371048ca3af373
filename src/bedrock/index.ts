/** What the gateway knows about Bedrock: operations, identifiers and their readers, ARNs, regions, event streams, signing name. */

export { ARN_PREFIX_TEXT, parseArn } from './arn.ts'
export { agentRuntimeSubject } from './agent-runtime-identifiers.ts'
export type { InferenceProfileDescription, InferenceProfileType, PromptRouterDescription } from './control-plane.ts'
export { encodeLabel } from './path-labels.ts'
export {
  encodeEventFrame,
  encodeExceptionFrame,
  EVENT_STREAM_CONTENT_TYPE,
  EventStreamFrameGate,
  EventStreamFrameTracker,
  INTERNAL_SERVER_EXCEPTION_EVENT,
  SERVICE_UNAVAILABLE_EXCEPTION_EVENT,
  splitFrames
} from './event-stream.ts'
export { decodeEventEnvelope, encodeDateHeader, encodeEventEnvelope } from './event-envelope.ts'
export type { EventEnvelope } from './event-envelope.ts'
export { MODEL_ID_LOCATIONS } from './identifier-types.ts'
export type {
  ArnResourceType,
  IdentifierLocation,
  NamedIdentifier,
  ParsedArn,
  ResourceIdentifier
} from './identifier-types.ts'
export { isOperationName } from './operation-names.ts'
export { lowerCaseHeaderName } from './headers.ts'
export { mediaTypeOf } from './headers.ts'
export { checkModelIdText, parseModelId } from './model-id.ts'
export { AGENT_RUNTIME_OPERATION_NAMES, DEFAULT_ALLOWED_OPERATIONS, OPERATION_NAMES } from './operation-names.ts'
export type { OperationName } from './operation-names.ts'
export { IAM_ACTION, IAM_ACTIONS, OPERATIONS } from './operations.ts'
export { profilePrefixOf } from './profile-prefixes.ts'
export { GLOBAL_PROFILE_PREFIX, SYSTEM_PROFILE_PREFIXES } from './profile-prefixes.ts'
export { quoteValue } from './quote-value.ts'
export { isRegionName } from './regions.ts'
export { splitRegionPrefix } from './regions.ts'
export { isResolvedResourceType, RESOLVED_RESOURCE_KEYS, RESOURCE_ROUTING } from './resource-routing.ts'
export type { ResolvedResourceType } from './resource-routing.ts'
export { BEDROCK_SERVICE } from './service.ts'
export { BEDROCK_API_SPECS, BEDROCK_APIS, BEDROCK_SIGNING_SERVICE, DEFAULT_AGENT_CONTROL_PLANE_ENDPOINT, MANTLE_SIGNING_SERVICE } from './apis.ts'
export { MANTLE_MOUNT } from './mantle-operations.ts'
export type { SseDialect } from './operations.ts'
export type { BedrockApi, BedrockApiSpec } from './apis.ts'
export type { BedrockService } from './service.ts'
export type { RequestRoute } from './request.ts'
export {
  createConverseBodyUsageObserver,
  MAXIMUM_USAGE_FRAME_BYTES,
  usageFromHeaders,
  usageFromLastFrame
} from './usage.ts'
export type { TokenUsage } from './usage.ts'
export { encodeSseError, SSE_CONTENT_TYPE, SseEventGate, SseUsageObserver } from './server-sent-events.ts'
export type { SseFailure } from './server-sent-events.ts'
