import { timingSafeEqual } from 'node:crypto'
import { BYTE_STRING_ENCODING, SHA256_HEX_LENGTH } from './constants.ts'

/**
 * Constant-time comparison of the signature a client sent with the expected one (both hex). Only the length can
 * short-circuit, and every well-formed signature has the same length, so timing reveals nothing about the value.
 */
export function signaturesMatch (provided: string, expectedHex: string): boolean {
  if (provided.length !== SHA256_HEX_LENGTH || expectedHex.length !== SHA256_HEX_LENGTH) return false
  return timingSafeEqual(Buffer.from(provided, BYTE_STRING_ENCODING), Buffer.from(expectedHex, BYTE_STRING_ENCODING))
}
