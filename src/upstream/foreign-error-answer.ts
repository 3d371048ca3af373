import { BedrockError, type BedrockErrorName, ERROR_TYPE_HEADER, JSON_CONTENT_TYPE } from '../core/index.ts'
import { mediaTypeOf } from '../bedrock/index.ts'
import type { UpstreamResponse } from './forwarder.ts'

const FIRST_ERROR_STATUS = 400
const CONTENT_TYPE_HEADER = 'content-type'

/** The modeled exception each status means to the SDKs, so that they retry or give up as they would for Bedrock's. */
function errorNameFor (status: number): BedrockErrorName {
  if (status === 401 || status === 403) return 'AccessDeniedException'
  if (status === 429) return 'ThrottlingException'
  if (status === 503) return 'ServiceUnavailableException'
  if (status === 504) return 'ModelTimeoutException'
  return status < 500 ? 'ValidationException' : 'InternalServerException'
}

/** The upstream answer's content type as sent, for the audit line; undefined when there was none or several. */
export function upstreamContentType (upstream: UpstreamResponse): string | undefined {
  const contentType = upstream.headers[CONTENT_TYPE_HEADER]
  return typeof contentType === 'string' ? contentType : undefined
}

/**
 * An error answer that did not come from Bedrock's front end, as a Bedrock error with the same status: an HTML or
 * plain-text page from a proxy or load balancer between the gateway and Bedrock, which no SDK can parse. Bedrock's own
 * errors name their type in `x-amzn-ErrorType` or come as JSON, and pass through unchanged (undefined here). The page
 * itself is never shown: it may name hosts inside the network.
 */
export function foreignErrorAnswer (upstream: UpstreamResponse, region: string): BedrockError | undefined {
  if (upstream.status < FIRST_ERROR_STATUS || upstream.headers[ERROR_TYPE_HEADER] !== undefined) return undefined
  const contentType = upstreamContentType(upstream)
  if (contentType !== undefined && mediaTypeOf(contentType) === JSON_CONTENT_TYPE) return undefined
  return new BedrockError(errorNameFor(upstream.status),
    `Something between the gateway and Amazon Bedrock in ${region} answered ${upstream.status} with a page that is not a Bedrock error.`,
    { status: upstream.status })
}
