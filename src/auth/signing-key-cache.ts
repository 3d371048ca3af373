import { createSecretKey, type KeyObject } from 'node:crypto'
import { deriveSigningKey } from './signing-key.ts'
import type { SigningKeyCache } from './types.ts'

/** Cannot occur in a date, region or service name, which are all checked before a key is asked for. */
const KEY_PART_SEPARATOR = '\u0000'

/**
 * Signing keys cost four HMACs to derive and stay valid a whole day per region, so each is derived once and kept,
 * as a KeyObject: createHmac() starts faster from one than from a Buffer.
 * Bounded: when full, the least recently used key is dropped (a Map iterates in insertion order, and a hit is
 * re-inserted at the end).
 */
export function createSigningKeyCache (maxEntries: number): SigningKeyCache {
  const keys = new Map<string, KeyObject>()
  // The upstream signer asks for one key over and over; leaving the newest entry where it is spares the Map the
  // delete and re-insert, whose tombstones make it rebuild its table every few hundred hits.
  let newest = ''
  return {
    get (secret, date, region, service) {
      const cacheKey = secret + KEY_PART_SEPARATOR + date + KEY_PART_SEPARATOR + region + KEY_PART_SEPARATOR + service
      const cached = keys.get(cacheKey)
      if (cached !== undefined) {
        if (cacheKey !== newest) {
          keys.delete(cacheKey)
          keys.set(cacheKey, cached)
          newest = cacheKey
        }
        return cached
      }
      const derived = createSecretKey(deriveSigningKey(secret, date, region, service))
      if (keys.size >= maxEntries) keys.delete(keys.keys().next().value as string)
      keys.set(cacheKey, derived)
      newest = cacheKey
      return derived
    }
  }
}
