import { deny } from '../policy/decision.ts'
import type { Decision } from '../policy/types.ts'
import type { ReasonCode } from '../policy/reason-codes.ts'

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

/** A refusal or failure to be answered in Bedrock's wire shape. */
export class BedrockError extends Error {
  readonly type: BedrockErrorName
  readonly status: number

  constructor (type: BedrockErrorName, message: string, status: number = BEDROCK_ERROR_STATUS[type]) {
    super(message)
    this.name = type
    this.type = type
    this.status = status
  }
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

const ERROR_FOR_REASON: Partial<Record<ReasonCode, BedrockErrorName>> = {
  UNKNOWN_OPERATION: 'UnknownOperationException',
  MALFORMED_REQUEST: 'ValidationException'
}

/**
 * A denied decision as the client sees it: `<ErrorType>: <REASON_CODE>: <human message>`, with the error type's
 * status unless another is given (413 for an oversized body).
 */
export function decisionError (decision: Decision, status?: number): BedrockError {
  const type = ERROR_FOR_REASON[decision.reason] ?? 'AccessDeniedException'
  return new BedrockError(type, `${type}: ${decision.reason}: ${decision.message}`, status)
}

/** Malformed input refused outside the request layer (by the HTTP framework, or for want of a region), in the same words. */
export function malformedRequestError (message: string, status?: number): BedrockError {
  return decisionError(deny('MALFORMED_REQUEST', message), status)
}
