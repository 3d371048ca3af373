import { createHash } from 'node:crypto'
import { BYTE_STRING_ENCODING, HEX, LINE_BREAK, SHA256, SIGV4_ALGORITHM } from './constants.ts'

/**
 * SigV4's string to sign. The canonical request is hashed as byte string: received header values arrive one char
 * per byte, so this reproduces exactly the UTF-8 (or other) bytes the client signed, and undici writes the headers
 * the gateway sends the same way, so it also hashes what goes on the wire.
 */
export function stringToSign (amzDate: string, credentialScope: string, canonicalRequest: string): string {
  return SIGV4_ALGORITHM + LINE_BREAK +
    amzDate + LINE_BREAK +
    credentialScope + LINE_BREAK +
    createHash(SHA256).update(canonicalRequest, BYTE_STRING_ENCODING).digest(HEX)
}
