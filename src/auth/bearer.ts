import { createHash } from 'node:crypto'
import { BedrockError } from '../core/index.ts'
import type { BearerClient } from '../config/index.ts'
import { MISSING_BEARER_TOKEN, UNRECOGNIZED_CLIENT } from './messages.ts'
import type { ClientKeyIndex } from './types.ts'
import { BYTE_STRING_ENCODING, HEX, SHA256 } from '../sigv4/index.ts'

/** Authorization scheme of Bedrock API keys; schemes compare case-insensitively (RFC 9110 11.1). */
const BEARER_SCHEME = 'bearer'

/**
 * Finds the bearer client whose stored sha256 matches the presented key. The lookup is by hash, never by the key:
 * whatever a Map's string comparison leaks about timing concerns a digest the caller cannot steer toward a stored
 * one without a sha256 preimage, so it reveals nothing about any key. The token is hashed as the bytes received.
 */
export function authenticateBearer (token: string, keys: ClientKeyIndex): BearerClient {
  const client = keys.bearerByKeySha256.get(bearerKeySha256(token))
  if (client === undefined) throw new BedrockError('UnrecognizedClientException', UNRECOGNIZED_CLIENT)
  return client
}

const SCHEME_AND_REST = /^([^ \t]*)[ \t]*(.*)$/s

/**
 * The token of a `Bearer <token>` Authorization header, or undefined when the header uses another scheme.
 * The scheme name is case-insensitive (RFC 9110); a Bearer header without a token is malformed.
 */
export function bearerToken (authorization: string): string | undefined {
  const trimmed = authorization.trim()
  // Nearly every header is SigV4's: a scheme that cannot be Bearer is told apart before the header is split and copied.
  if (trimmed.slice(0, BEARER_SCHEME.length).toLowerCase() !== BEARER_SCHEME) return undefined
  const [, scheme, rest] = SCHEME_AND_REST.exec(trimmed) as RegExpExecArray
  if ((scheme as string).toLowerCase() !== BEARER_SCHEME) return undefined
  if ((rest as string).length === 0) throw new BedrockError('IncompleteSignatureException', MISSING_BEARER_TOKEN)
  return rest as string
}

/**
 * The lower-case hex sha256 a config stores for a bearer key, for keygen and for verification alike. Latin1, because
 * the gateway gets the presented token as Node's byte string (one char per received byte): the digest is of the bytes
 * on the wire, whatever they are. Keys keygen issues are ASCII, where latin1 and utf8 are the same bytes.
 */
export function bearerKeySha256 (key: string): string {
  return createHash(SHA256).update(key, BYTE_STRING_ENCODING).digest(HEX)
}
