import { LINE_BREAK, LIST_SEPARATOR } from './constants.ts'
import { canonicalHeaders } from './canonical-headers.ts'
import { canonicalUri } from './canonical-uri.ts'
import type { SignedHeaderValues } from './types.ts'

/** What a SigV4 signature covers, whichever way the request goes: received by the gateway or sent by it. */
export interface CanonicalRequestParts {
  readonly method: string
  /** The path as it travels, still percent-encoded: the canonical URI encodes it once more. */
  readonly path: string
  /** Already canonical: decoded once, re-encoded with SigV4's rules, sorted. */
  readonly canonicalQuery: string
  /** Lower-case names, in the order they are signed. */
  readonly signedHeaders: readonly string[]
  readonly headerValues: SignedHeaderValues
  /** Lower-case hex sha256 of the body. */
  readonly payloadSha256Hex: string
}

/** SigV4's canonical request. */
export function canonicalRequest (parts: CanonicalRequestParts): string {
  return parts.method + LINE_BREAK +
    canonicalUri(parts.path) + LINE_BREAK +
    parts.canonicalQuery + LINE_BREAK +
    canonicalHeaders(parts.signedHeaders, parts.headerValues) + LINE_BREAK +
    parts.signedHeaders.join(LIST_SEPARATOR) + LINE_BREAK +
    parts.payloadSha256Hex
}
