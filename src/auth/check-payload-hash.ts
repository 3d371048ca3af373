import { BedrockError } from '../core/errors.ts'
import { CONTENT_SHA256_HEADER } from './constants.ts'
import { CONTENT_SHA256_MISMATCH } from './messages.ts'
import type { HeaderIndex } from './types.ts'

/**
 * A client that sends x-amz-content-sha256 (the AWS SDK for JavaScript does) must send the hash of the body as
 * received. UNSIGNED-PAYLOAD and the streaming markers are refused too: the gateway always has the whole body, so
 * the signature always covers it, and no Bedrock client needs an unsigned body.
 */
export function checkPayloadHash (headers: HeaderIndex, bodySha256Hex: string): void {
  const declared = headers.get(CONTENT_SHA256_HEADER)
  if (declared === undefined) return
  if (declared.length !== 1 || declared[0] !== bodySha256Hex) {
    throw new BedrockError('InvalidSignatureException', CONTENT_SHA256_MISMATCH)
  }
}
