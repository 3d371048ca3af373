import { BedrockError } from '../core/errors.ts'
import type { BearerClient } from '../config/types.ts'
import { bearerKeySha256 } from './bearer-key-sha256.ts'
import { UNRECOGNIZED_CLIENT } from './messages.ts'
import type { ClientKeyIndex } from './types.ts'

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
