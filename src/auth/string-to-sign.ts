import { createHash } from 'node:crypto'
import { BYTE_STRING_ENCODING, HEX, LINE_BREAK, PATH_SEPARATOR, SHA256, SIGV4_ALGORITHM } from './constants.ts'
import type { CredentialScope } from './types.ts'

/**
 * SigV4's string to sign. The canonical request is hashed as the bytes that were received: header values arrive as
 * byte strings, so hashing them as latin1 reproduces exactly the UTF-8 (or other) bytes the client signed.
 */
export function stringToSign (amzDate: string, scope: CredentialScope, canonicalRequest: string): string {
  return SIGV4_ALGORITHM + LINE_BREAK +
    amzDate + LINE_BREAK +
    scope.date + PATH_SEPARATOR + scope.region + PATH_SEPARATOR + scope.service + PATH_SEPARATOR + scope.terminator +
    LINE_BREAK +
    createHash(SHA256).update(canonicalRequest, BYTE_STRING_ENCODING).digest(HEX)
}
