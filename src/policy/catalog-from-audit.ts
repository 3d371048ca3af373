import { ANY_REGION } from './types.ts'
import type { PrefixRouting, RoutingCatalog } from '../config/index.ts'
import type { AuditedProfile } from './profile-audit.ts'

export interface CatalogOrigin {
  /** `YYYY-MM-DD`. */
  readonly date: string
  readonly source: string
}

interface PrefixSeen {
  anyRegion: boolean
  /** Source region -> every region its profiles of this prefix run in. */
  readonly sources: Map<string, Set<string>>
}

function routingOf (seen: PrefixSeen): PrefixRouting {
  if (seen.anyRegion) return { anyRegion: true, sources: {} }
  return { sources: Object.fromEntries([...seen.sources].map(([source, regions]) => [source, [...regions].sort()])) }
}

/**
 * A routing catalog in the shipped format (what parseCatalog reads) from what AWS reported: per prefix, per source
 * region, the union of every system profile's destinations, so the widest-routing model counts, as in the shipped
 * catalog. A prefix any of whose profiles has no regional boundary is `anyRegion`. Profiles AWS could not place are
 * left out, and so are application profiles (the gateway always asks AWS about those). Prefixes are sorted, sources
 * keep the order they were listed in, destinations are sorted: the same answers always give the same file.
 */
export function catalogFromAudit (profiles: readonly AuditedProfile[], origin: CatalogOrigin): RoutingCatalog {
  const seen = new Map<string, PrefixSeen>()
  for (const { prefix, routing, sourceRegion } of profiles) {
    if (prefix === undefined || !routing.verified) continue
    let entry = seen.get(prefix)
    if (entry === undefined) {
      entry = { anyRegion: false, sources: new Map() }
      seen.set(prefix, entry)
    }
    if (routing.regions.includes(ANY_REGION)) entry.anyRegion = true
    let regions = entry.sources.get(sourceRegion)
    if (regions === undefined) {
      regions = new Set()
      entry.sources.set(sourceRegion, regions)
    }
    for (const region of routing.regions) regions.add(region)
  }
  const prefixes = [...seen.keys()].sort().map((prefix) => [prefix, routingOf(seen.get(prefix)!)] as const)
  return { date: origin.date, source: origin.source, prefixes: Object.fromEntries(prefixes) }
}
