import { Hash } from '@smithy/hash-node'
import { HttpRequest } from '@smithy/protocol-http'
import { AUTH_HEADER, AMZ_DATE_HEADER, HOST_HEADER, SHA256_HEADER, SignatureV4, TOKEN_HEADER } from '@smithy/signature-v4'
import type { AwsCredentialIdentity } from '@smithy/types'
import type { QueryParameters } from './request-target.ts'
import type { UpstreamOrigin } from './upstream-origin.ts'

/** Bedrock's SigV4 signing name, for the runtime host too (not `bedrock-runtime`). */
const SIGNING_SERVICE = 'bedrock'

/** Node's native sha256; the pure-JavaScript one the browser SDK uses costs several times more per request. */
const Sha256 = Hash.bind(null, 'sha256')

/** Only the signer sets these; a caller's copy of any of them never reaches a signature or the wire. */
const SIGNER_OWNED_HEADERS: ReadonlySet<string> = new Set([AUTH_HEADER, AMZ_DATE_HEADER, HOST_HEADER, SHA256_HEADER, TOKEN_HEADER])

export interface UnsignedUpstreamRequest {
  readonly region: string
  readonly method: string
  readonly origin: UpstreamOrigin
  readonly path: string
  readonly query: QueryParameters
  readonly headers: Readonly<Record<string, string>>
  /** The body's hash, computed once by whoever read the body; sent as `x-amz-content-sha256` so nothing rehashes it. */
  readonly bodySha256Hex: string
}

export interface UpstreamSigner {
  /** The complete header set to send: the given headers plus host, x-amz-date, x-amz-content-sha256, the session token and authorization. */
  sign (request: UnsignedUpstreamRequest): Promise<Record<string, string>>
}

/**
 * Signs upstream requests with `@smithy/signature-v4` for the requested region. The path is signed as given (already
 * canonically encoded, e.g. `%3A` in a model id); the signer encodes it once more for the canonical request, as
 * SigV4 requires for every service but S3.
 */
export function createUpstreamSigner (credentials: () => Promise<AwsCredentialIdentity>): UpstreamSigner {
  // One per allowlisted region: the signing region is fixed at construction.
  const signers = new Map<string, SignatureV4>()
  const signerFor = (region: string): SignatureV4 => {
    let signer = signers.get(region)
    if (signer === undefined) {
      signer = new SignatureV4({ service: SIGNING_SERVICE, region, credentials, sha256: Sha256, uriEscapePath: true })
      signers.set(region, signer)
    }
    return signer
  }

  return {
    async sign ({ region, method, origin, path, query, headers, bodySha256Hex }) {
      const toSign: Record<string, string> = {}
      for (const [name, value] of Object.entries(headers)) {
        if (!SIGNER_OWNED_HEADERS.has(name.toLowerCase())) toSign[name] = value
      }
      toSign[HOST_HEADER] = origin.host
      toSign[SHA256_HEADER] = bodySha256Hex
      const signed = await signerFor(region).sign(new HttpRequest({
        method,
        protocol: origin.protocol,
        hostname: origin.hostname,
        port: origin.port,
        path,
        query,
        headers: toSign
      }))
      return signed.headers
    }
  }
}
