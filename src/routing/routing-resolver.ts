import { performance } from 'node:perf_hooks'
import { ControlPlaneError } from './control-plane-failure.ts'
import { ExpiringLruCache } from './expiring-lru-cache.ts'
import { resolveDestinations } from './resolve-destinations.ts'
import { isAgentRoutedIdentifier, resolveAgentDestinations } from './agent-destinations.ts'
import type { LookupResult, RoutingObserver, RoutingResolver, RoutingResolverOptions } from './types.ts'
import type { RoutingResolution } from '../policy/index.ts'
import { MS_PER_SECOND } from '../core/index.ts'

export const DEFAULT_MAX_CACHE_ENTRIES = 10_000
const UNEXPECTED_FAILURE = 'the lookup failed unexpectedly'
const IGNORE: RoutingObserver = { cacheHit () {}, lookup () {} }

/**
 * Resolutions cached per (region, identifier): a verified one for `ttlMs`, a failure for `negativeTtlMs` (so an
 * outage is not asked again on every request, yet recovery shows soon). Callers that arrive while a lookup for the
 * same key is running wait for that lookup instead of starting their own; they count as cache hits.
 */
export function createRoutingResolver (options: RoutingResolverOptions): RoutingResolver {
  const now = options.now ?? Date.now
  const observer = options.observer ?? IGNORE
  const cache = new ExpiringLruCache<RoutingResolution>(options.maxEntries ?? DEFAULT_MAX_CACHE_ENTRIES)
  const inFlight = new Map<string, Promise<RoutingResolution>>()

  async function lookUp (key: string, region: string, identifier: string): Promise<RoutingResolution> {
    const startedAt = performance.now()
    let resolution: RoutingResolution
    let result: LookupResult
    try {
      resolution = isAgentRoutedIdentifier(identifier)
        ? await resolveAgentDestinations(options.agentClient, options.client, region, identifier)
        : await resolveDestinations(options.client, region, identifier)
      result = 'resolved'
    } catch (error) {
      // Anything but a ControlPlaneError is a bug here; it still fails closed, and its text is never shown.
      const known = error instanceof ControlPlaneError
      resolution = { verified: false, problem: known ? error.message : UNEXPECTED_FAILURE }
      result = known ? error.kind : 'service-error'
    }
    observer.lookup(result, (performance.now() - startedAt) / MS_PER_SECOND)
    const ttlMs = resolution.verified ? options.ttlMs : options.negativeTtlMs
    if (ttlMs > 0) cache.set(key, resolution, now() + ttlMs)
    return resolution
  }

  return {
    resolve (region, identifier) {
      const key = `${region} ${identifier}`
      const cached = cache.get(key, now())
      if (cached !== undefined) {
        observer.cacheHit()
        return Promise.resolve(cached)
      }
      const running = inFlight.get(key)
      if (running !== undefined) {
        observer.cacheHit()
        return running
      }
      const lookup = lookUp(key, region, identifier).finally(() => inFlight.delete(key))
      inFlight.set(key, lookup)
      return lookup
    },

    size: () => cache.size
  }
}
