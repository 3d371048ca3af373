import { isUtf8 } from 'node:buffer'
import { BYTE_STRING_ENCODING, percentDecodeBytes, sigV4CanonicalQuery } from '../sigv4/index.ts'
import { BedrockError, QUERY_START } from '../core/index.ts'

export interface RequestTarget {
  readonly path: string
  /** SigV4's canonical query, without `?`: exactly what the signer signs and `target` carries. */
  readonly query: string
  /** Path and query as sent upstream. */
  readonly target: string
}

/** RFC 3986 path characters: unreserved, sub-delims, `:`, `@`, `/` and percent-encoded octets. */
const ENCODED_PATH = /^\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})*$/
/**
 * RFC 3986 query characters and percent-encoded octets. A raw character beyond ASCII is refused rather than guessed
 * at: sent as one byte or as UTF-8, it would mean something other than what someone checked.
 */
const ENCODED_QUERY = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$/
/**
 * An empty, `.` or `..` segment: SigV4 normalizes them away while the path sent keeps them, so they are never sent.
 * One regular expression rather than a split, as this runs on every request.
 */
const AMBIGUOUS_SEGMENT = /\/\.{0,2}(?=\/|$)/
/** Presigning parameters: the gateway signs in headers, and no caller's signature material goes upstream. */
const AUTH_QUERY_PARAMETER = /^x-amz-/i

function malformed (what: string): BedrockError {
  return new BedrockError('ValidationException', `The request ${what} is not valid for Amazon Bedrock.`)
}

function isAuthQueryParameter (decodedKey: string): boolean {
  return AUTH_QUERY_PARAMETER.test(decodedKey)
}

/** Percent-escapes must spell UTF-8, as every Bedrock parameter is text; anything else is refused, not passed on. */
function isEncodedText (rawQuery: string): boolean {
  return ENCODED_QUERY.test(rawQuery) && isUtf8(Buffer.from(percentDecodeBytes(rawQuery), BYTE_STRING_ENCODING))
}

/**
 * The target sent upstream: the path exactly as the request layer built it (already canonically encoded, which is
 * what gets signed), and the query in SigV4 canonical form (the request layer's is already), so that what is sent
 * and what is signed are the same bytes.
 */
export function upstreamTarget (path: string, rawQuery: string, options: { readonly trailingSlash?: boolean } = {}): RequestTarget {
  // Some bedrock-agent paths end in `/` in the service model (GetAgentAlias ...); SigV4 keeps a trailing slash too.
  const checked = options.trailingSlash === true && path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
  if (!ENCODED_PATH.test(path) || AMBIGUOUS_SEGMENT.test(checked)) throw malformed('path')
  if (rawQuery === '') return { path, query: '', target: path }
  if (!isEncodedText(rawQuery)) throw malformed('query')
  const query = sigV4CanonicalQuery(rawQuery, isAuthQueryParameter)
  return { path, query, target: query === '' ? path : path + QUERY_START + query }
}
