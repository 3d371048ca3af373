import { createHmac } from 'node:crypto'
import { SIGV4_KEY_PREFIX, SIGV4_SCOPE_TERMINATOR } from '../constants.ts'

export function hmac (key: Uint8Array | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest()
}

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
export function signingKey (secretAccessKey: string, date: string, region: string, service: string): Buffer {
  const dateKey = hmac(`${SIGV4_KEY_PREFIX}${secretAccessKey}`, date)
  return hmac(hmac(hmac(dateKey, region), service), SIGV4_SCOPE_TERMINATOR)
}
