import { AUTHORITY_PSEUDO_HEADER, HOST_HEADER } from './constants.ts'
import { canonicalQuery } from './canonical-query.ts'
import { canonicalRequest } from './canonical-request.ts'
import { splitRequestTarget } from './split-request-target.ts'
import type { ReceivedRequest } from './types.ts'

/**
 * The canonical request of a request as received, covering the headers the client says it signed. `host` (or
 * `:authority`, as the AWS SDK for JavaScript v3 signs it over HTTP/2) is the authority the request was addressed
 * to, whether it arrived as `Host` or HTTP/2's `:authority`.
 */
export function receivedCanonicalRequest (request: ReceivedRequest, signedHeaders: readonly string[]): string {
  const { path, query } = splitRequestTarget(request.rawPath)
  return canonicalRequest({
    method: request.method,
    path,
    canonicalQuery: canonicalQuery(query),
    signedHeaders,
    headerValues: (name) => name === HOST_HEADER || name === AUTHORITY_PSEUDO_HEADER ? request.authority : request.headers.get(name),
    payloadSha256Hex: request.bodySha256Hex
  })
}
