import { type Decision, deny, type ReasonCode } from './decision.ts'

/**
 * The one catalogue of errors the gateway answers with. Names and statuses are Bedrock's own (restJson1 service
 * model and the AWS front end), so every client maps them to the exception it would get from AWS.
 */
export const BEDROCK_ERROR_STATUS = {
  AccessDeniedException: 403,
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  MissingAuthenticationTokenException: 403,
  IncompleteSignatureException: 400,
  RequestExpired: 400,
  ValidationException: 400,
  ResourceNotFoundException: 404,
  UnknownOperationException: 404,
  ModelTimeoutException: 408,
  RequestEntityTooLargeException: 413,
  ThrottlingException: 429,
  InternalServerException: 500,
  ServiceUnavailableException: 503
} as const

export type BedrockErrorName = keyof typeof BEDROCK_ERROR_STATUS

export const ERROR_TYPE_HEADER = 'x-amzn-errortype'
export const REQUEST_ID_HEADER = 'x-amzn-requestid'
export const JSON_CONTENT_TYPE = 'application/json'

/** What a BedrockError may carry beyond its type and message. */
export interface BedrockErrorOptions {
  /** The status to answer with, when it is not the error type's own (413 for an oversized body ...). */
  readonly status?: number
  /** What went wrong underneath, kept for the log; never shown to the caller. */
  readonly cause?: unknown
}

/** A refusal or failure to be answered in Bedrock's wire shape. */
export class BedrockError extends Error {
  readonly type: BedrockErrorName
  readonly status: number

  constructor (type: BedrockErrorName, message: string, { status = BEDROCK_ERROR_STATUS[type], cause }: BedrockErrorOptions = {}) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = type
    this.type = type
    this.status = status
  }
}

/**
 * What the caller gets when the gateway itself fails: Bedrock's InternalServerException, with nothing of the failure
 * in it. The failure rides along as the cause, for the log.
 */
export function internalError (cause: unknown): BedrockError {
  return new BedrockError('InternalServerException', 'The gateway failed to process the request.', { cause })
}

export interface WireError {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/**
 * Status, `x-amzn-ErrorType` and a JSON body that names the error type too: LiteLLM classifies errors by the body
 * text alone, and a 403 whose body lacks the name becomes a retried connection error there.
 */
export function toWireError (error: BedrockError, requestId: string): WireError {
  return {
    status: error.status,
    headers: {
      'content-type': JSON_CONTENT_TYPE,
      [ERROR_TYPE_HEADER]: error.type,
      [REQUEST_ID_HEADER]: requestId
    },
    body: JSON.stringify({ __type: error.type, message: error.message })
  }
}

/** A reason code the engine or the request layer refuses a request with. */
export type RefusalReason = Exclude<ReasonCode, 'ALLOWED'>

/**
 * The error catalogue: every refusal reason, the Bedrock error it is answered with (the status is that type's), and
 * one line for operators on what in the request led to it. docs/errors.md lists the same rows, and a test holds the
 * two together. A new reason code does not compile until it is placed here.
 */
export const REFUSALS: Readonly<Record<RefusalReason, readonly [type: BedrockErrorName, meaning: string]>> = {
  REGION_NOT_ALLOWED: ['AccessDeniedException', 'the requested region is not in allow.regions'],
  PROFILE_PREFIX_NOT_ALLOWED: ['AccessDeniedException', "a system inference profile's prefix is not an allowed prefix"],
  GLOBAL_PROFILE_NOT_ALLOWED: ['AccessDeniedException', 'a global inference profile, which can run in any region, is not allowed'],
  PROFILE_ROUTES_OUTSIDE_ALLOWLIST: ['AccessDeniedException', 'an inference profile or prompt router can run in a region that is not allowed'],
  ARN_REGION_MISMATCH: ['AccessDeniedException', "an ARN's region is not the region the request was sent to"],
  ARN_PARTITION_NOT_ALLOWED: ['AccessDeniedException', "an ARN's partition is not an allowed partition"],
  GUARDRAIL_REGION_MISMATCH: ['AccessDeniedException', "a guardrail's region is not the region the request was sent to"],
  MODEL_KIND_NOT_ALLOWED: ['AccessDeniedException', 'a resource that can route to other regions unseen is not listed, or its setting refuses it'],
  OPERATION_NOT_ALLOWED: ['AccessDeniedException', 'the operation is not in the allowlist'],
  OPERATION_NOT_SUPPORTED: ['AccessDeniedException', 'the gateway does not forward this operation yet'],
  UNKNOWN_OPERATION: ['UnknownOperationException', 'method and path are no Bedrock runtime operation'],
  MALFORMED_REQUEST: ['ValidationException', 'the request could not be read (bad encoding, bad identifier, body too large ...)'],
  ROUTING_UNVERIFIED: ['AccessDeniedException', 'where a routed identifier can run could not be verified with the control plane']
}

/**
 * A denied decision as the client sees it: `<ErrorType>: <REASON_CODE>: <human message>`, with the error type's
 * status unless another is given (413 for an oversized body).
 */
export function decisionError (decision: Decision, status?: number): BedrockError {
  const [type] = decision.reason === 'ALLOWED' ? ['AccessDeniedException'] as const : REFUSALS[decision.reason]
  return new BedrockError(type, `${type}: ${decision.reason}: ${decision.message}`, { status })
}

/** Malformed input refused outside the request layer (by the HTTP framework, or for want of a region), in the same words. */
export function malformedRequestError (message: string, status?: number): BedrockError {
  return decisionError(deny('MALFORMED_REQUEST', message), status)
}
