import { Hash } from '@smithy/hash-node'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import type { AwsCredentialIdentity } from '@smithy/types'
import { JSON_CONTENT_TYPE, REGION } from './workload.ts'

const SIGNING_SERVICE = 'bedrock'
const SHA256_HEADER = 'x-amz-content-sha256'
const Sha256 = Hash.bind(null, 'sha256')

export interface OutgoingRequest {
  readonly path: string
  readonly body: Buffer
  /** When the client already knows the body's sha256 (an SDK that sends `x-amz-content-sha256`). */
  readonly bodySha256Hex?: string
}

/** Headers for one request from a client that signs every request itself, as botocore and the AWS SDKs do. */
export type RequestSigner = (request: OutgoingRequest) => Promise<Record<string, string>>

/**
 * A SigV4 client for `origin` (`http://127.0.0.1:PORT`): what LiteLLM's botocore signer does (host, x-amz-date and
 * content-type signed, no `x-amz-content-sha256` unless the hash is given), with node's native sha256.
 */
export function createRequestSigner (origin: string, credentials: AwsCredentialIdentity): RequestSigner {
  const url = new URL(origin)
  const signer = new SignatureV4({ service: SIGNING_SERVICE, region: REGION, credentials, sha256: Sha256, uriEscapePath: true, applyChecksum: false })
  return async ({ path, body, bodySha256Hex }) => {
    const headers: Record<string, string> = { host: url.host, 'content-type': JSON_CONTENT_TYPE }
    if (bodySha256Hex !== undefined) headers[SHA256_HEADER] = bodySha256Hex
    const signed = await signer.sign(new HttpRequest({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path,
      headers,
      body
    }))
    return signed.headers
  }
}

/** A caller of the gateway's loopback anonymous mode: no signature at all, the region in the path prefix. */
export const unsignedHeaders: RequestSigner = async () => ({ 'content-type': JSON_CONTENT_TYPE })
