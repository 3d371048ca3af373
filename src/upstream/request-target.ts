import { HttpRequest } from '@smithy/protocol-http'
import { getCanonicalQuery } from '@smithy/signature-v4'
import { BedrockError } from '../bedrock/errors.ts'

export type QueryParameters = Record<string, string | string[]>

export interface RequestTarget {
  readonly path: string
  /** The parameters the signer signs; `target` carries exactly their canonical form. */
  readonly query: QueryParameters
  /** Path and query as sent upstream. */
  readonly target: string
}

/** RFC 3986 path characters: unreserved, sub-delims, `:`, `@`, `/` and percent-encoded octets. */
const ENCODED_PATH = /^\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$/
/** Empty and dot segments: SigV4 normalizes them away while the path sent keeps them, so they are never sent. */
const AMBIGUOUS_SEGMENTS: ReadonlySet<string> = new Set(['', '.', '..'])
/** Presigning parameters: the gateway signs in headers, and no caller's signature material goes upstream. */
const AUTH_QUERY_PARAMETER = /^x-amz-/i

function malformed (what: string): BedrockError {
  return new BedrockError('ValidationException', `The request ${what} is not valid for Amazon Bedrock.`)
}

function decodeComponent (text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    throw malformed('query')
  }
}

function parseQuery (rawQuery: string): QueryParameters {
  const parameters: QueryParameters = {}
  for (const pair of rawQuery.split('&')) {
    if (pair === '') continue
    const equals = pair.indexOf('=')
    const name = decodeComponent(equals === -1 ? pair : pair.slice(0, equals))
    const value = decodeComponent(equals === -1 ? '' : pair.slice(equals + 1))
    if (AUTH_QUERY_PARAMETER.test(name)) continue
    const existing = parameters[name]
    parameters[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value]
  }
  return parameters
}

/**
 * The target sent upstream: the path exactly as the request layer built it (already canonically encoded, which is
 * what gets signed), and the query re-serialized in SigV4 canonical form so that what is sent and what is signed
 * are the same bytes.
 */
export function upstreamTarget (path: string, rawQuery: string): RequestTarget {
  if (!ENCODED_PATH.test(path) || path.slice(1).split('/').some((segment) => AMBIGUOUS_SEGMENTS.has(segment))) throw malformed('path')
  const query = parseQuery(rawQuery)
  const canonicalQuery = getCanonicalQuery(new HttpRequest({ query }))
  return { path, query, target: canonicalQuery === '' ? path : `${path}?${canonicalQuery}` }
}
