import { LINE_BREAK, LIST_SEPARATOR } from './constants.ts'
import { canonicalHeaders } from './canonical-headers.ts'
import { canonicalQuery } from './canonical-query.ts'
import { canonicalUri } from './canonical-uri.ts'
import { splitRequestTarget } from './split-request-target.ts'
import type { ReceivedRequest } from './types.ts'

/** SigV4's canonical request for a request as received, covering the headers the client says it signed. */
export function canonicalRequest (request: ReceivedRequest, signedHeaders: readonly string[]): string {
  const { path, query } = splitRequestTarget(request.rawPath)
  return request.method + LINE_BREAK +
    canonicalUri(path) + LINE_BREAK +
    canonicalQuery(query) + LINE_BREAK +
    canonicalHeaders(signedHeaders, request.headers, request.authority) + LINE_BREAK +
    signedHeaders.join(LIST_SEPARATOR) + LINE_BREAK +
    request.bodySha256Hex
}
