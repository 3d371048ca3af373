import { Counter, Histogram, type Registry } from 'prom-client'
import { CONTROL_PLANE_FAILURE_KINDS, type LookupResult, type RoutingObserver } from '../routing/index.ts'
import { METRIC_PREFIX } from './metrics.ts'

export const LOOKUP_RESULTS: readonly LookupResult[] = ['resolved', ...CONTROL_PLANE_FAILURE_KINDS]
/** A control-plane lookup (with its nested ones) takes tens of milliseconds, up to the lookup timeout. */
export const LOOKUP_BUCKETS_SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

/**
 * Routing-resolution metrics on the gateway's registry: lookups by result, the time they took, and answers served
 * from the cache (or from a lookup already running). Every result series exists from the start at 0, so an alert
 * on a rise of failures sees the first one.
 */
export function createRoutingMetrics (registry: Registry): RoutingObserver {
  const registers = [registry]
  const lookups = new Counter({
    name: `${METRIC_PREFIX}routing_lookups_total`,
    help: 'Control-plane lookups of where a routed identifier can run, by result.',
    labelNames: ['result'] as const,
    registers
  })
  const lookupSeconds = new Histogram({
    name: `${METRIC_PREFIX}routing_lookup_seconds`,
    help: 'Time a routing lookup took, nested profile and router lookups included.',
    buckets: LOOKUP_BUCKETS_SECONDS,
    registers
  })
  const cacheHits = new Counter({
    name: `${METRIC_PREFIX}routing_cache_hits_total`,
    help: 'Routing resolutions answered without a lookup of their own (cached, or sharing one under way).',
    registers
  })
  for (const result of LOOKUP_RESULTS) lookups.inc({ result }, 0)
  return {
    cacheHit () {
      cacheHits.inc()
    },
    lookup (result, seconds) {
      lookups.inc({ result })
      lookupSeconds.observe(seconds)
    }
  }
}
