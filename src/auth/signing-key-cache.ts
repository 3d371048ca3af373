import { deriveSigningKey } from './signing-key.ts'
import type { SigningKeyCache } from './types.ts'

/** Cannot occur in a secret from config, a date, a region or a service name, so cache keys cannot collide. */
const KEY_PART_SEPARATOR = '\u0000'

/**
 * Signing keys cost four HMACs to derive and stay valid a whole day per region, so each is derived once and kept.
 * Bounded: when full, the least recently used key is dropped (a Map iterates in insertion order, and a hit is
 * re-inserted at the end).
 */
export function createSigningKeyCache (maxEntries: number): SigningKeyCache {
  const keys = new Map<string, Buffer>()
  return {
    get (secret, date, region, service) {
      const cacheKey = secret + KEY_PART_SEPARATOR + date + KEY_PART_SEPARATOR + region + KEY_PART_SEPARATOR + service
      const cached = keys.get(cacheKey)
      if (cached !== undefined) {
        keys.delete(cacheKey)
        keys.set(cacheKey, cached)
        return cached
      }
      const derived = deriveSigningKey(secret, date, region, service)
      if (keys.size >= maxEntries) keys.delete(keys.keys().next().value as string)
      keys.set(cacheKey, derived)
      return derived
    }
  }
}
