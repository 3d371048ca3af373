import { createHmac, type KeyObject } from 'node:crypto'
import { HEX, SHA256 } from './constants.ts'

/** The signature: the string to sign's HMAC under the day's signing key, in lower-case hex. */
export function computeSignature (signingKey: KeyObject, stringToSign: string): string {
  return createHmac(SHA256, signingKey).update(stringToSign).digest(HEX)
}
