import { createHash } from 'node:crypto'
import { BYTE_STRING_ENCODING, HEX, SHA256 } from './constants.ts'

/**
 * The lower-case hex sha256 a config stores for a bearer key, for keygen and for verification alike. Latin1, because
 * the gateway gets the presented token as Node's byte string (one char per received byte): the digest is of the bytes
 * on the wire, whatever they are. Keys keygen issues are ASCII, where latin1 and utf8 are the same bytes.
 */
export function bearerKeySha256 (key: string): string {
  return createHash(SHA256).update(key, BYTE_STRING_ENCODING).digest(HEX)
}
