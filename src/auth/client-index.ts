import type { BearerClient, ClientConfig, SigV4Client } from '../config/index.ts'
import { createSigningKeyCache, SIGNING_KEY_CACHE_ENTRIES } from '../sigv4/index.ts'
import type { ClientKeyIndex } from './types.ts'

/**
 * Indexes the configured clients by what a request presents: SigV4 key id, or the sha256 of a bearer key. Built once
 * per config load, with a fresh signing-key cache, so a reload forgets the old secrets' derived keys. Two clients
 * behind the same key id or the same bearer key would make a caller's identity ambiguous, so that is refused.
 */
export function indexClients (clients: readonly ClientConfig[]): ClientKeyIndex {
  const sigV4ByAccessKeyId = new Map<string, SigV4Client>()
  const bearerByKeySha256 = new Map<string, BearerClient>()
  for (const client of clients) {
    if (client.kind === 'sigv4') {
      const other = sigV4ByAccessKeyId.get(client.accessKeyId)
      if (other !== undefined) {
        throw new Error(`clients "${other.name}" and "${client.name}" share the access key id ${client.accessKeyId}`)
      }
      sigV4ByAccessKeyId.set(client.accessKeyId, client)
    } else {
      const digest = client.apiKeySha256.toLowerCase()
      const other = bearerByKeySha256.get(digest)
      if (other !== undefined) throw new Error(`clients "${other.name}" and "${client.name}" share the same bearer key`)
      bearerByKeySha256.set(digest, client)
    }
  }
  return { sigV4ByAccessKeyId, bearerByKeySha256, signingKeys: createSigningKeyCache(SIGNING_KEY_CACHE_ENTRIES) }
}
