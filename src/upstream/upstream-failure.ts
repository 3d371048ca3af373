import { BedrockError } from '../core/index.ts'

/**
 * How a failure to get Bedrock's answer is reported. Bedrock has no names for gateway failures, so each uses the
 * modeled exception clients already handle, with the HTTP status that says what happened:
 *
 * | what failed                                   | error                       | status |
 * |-----------------------------------------------|-----------------------------|--------|
 * | no connection could be made (refused, DNS, connect timeout) | ServiceUnavailableException | 503 |
 * | no response headers within upstream.headersTimeoutMs | ModelTimeoutException | 504 |
 * | the connection broke before the response started | InternalServerException  | 502 |
 *
 * All three are retryable for the AWS SDKs and LiteLLM. Messages name the region and an error code, never the
 * upstream URL, a header or a credential.
 */

const BAD_GATEWAY = 502
const GATEWAY_TIMEOUT = 504
const HEADERS_TIMEOUT = 'UND_ERR_HEADERS_TIMEOUT'
const BODY_TIMEOUT = 'UND_ERR_BODY_TIMEOUT'
const NO_CONNECTION_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT'
])
/** Only error codes of this shape are shown to callers; anything else is reported without one. */
const ERROR_CODE_SHAPE = /^[A-Z][A-Z0-9_]*$/

interface ErrorWithCode {
  readonly code?: unknown
  readonly errors?: readonly unknown[]
  readonly cause?: unknown
}

/** The error's code; for a failed multi-address connect (happy eyeballs), that of its first attempt. */
export function errorCode (error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const { code, errors, cause } = error as ErrorWithCode
  if (typeof code === 'string' && ERROR_CODE_SHAPE.test(code)) return code
  return errorCode(errors?.[0]) ?? errorCode(cause)
}

export function failureBeforeResponse (error: unknown, region: string): BedrockError {
  const code = errorCode(error)
  const because = code === undefined ? '' : ` (${code})`
  if (code === HEADERS_TIMEOUT) {
    return new BedrockError('ModelTimeoutException', `Amazon Bedrock in ${region} did not start answering within the gateway's time limit.`, { status: GATEWAY_TIMEOUT, cause: error })
  }
  if (code !== undefined && NO_CONNECTION_CODES.has(code)) {
    return new BedrockError('ServiceUnavailableException', `The gateway could not connect to Amazon Bedrock in ${region}${because}.`, { cause: error })
  }
  return new BedrockError('InternalServerException', `The connection to Amazon Bedrock in ${region} failed before a response arrived${because}.`, { status: BAD_GATEWAY, cause: error })
}

/** The message of the exception event that ends a stream whose upstream failed after the 200. */
export function failureMidStreamMessage (error: unknown): string {
  return errorCode(error) === BODY_TIMEOUT
    ? 'Amazon Bedrock stopped sending the response stream; the gateway ended it after its idle time limit.'
    : 'The response stream from Amazon Bedrock broke off before it was complete.'
}
