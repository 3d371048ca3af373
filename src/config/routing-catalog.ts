import { SHIPPED_CATALOG_DATA } from './shipped-catalog.ts'
import { isRegionName } from '../bedrock/index.ts'
import type { GeofenceConfig } from './types.ts'

/** Where system inference profiles can run: per prefix, per source region, the destination regions. */
export interface RoutingCatalog {
  /** When the facts were collected (`YYYY-MM`, `YYYY-MM-DD` or an ISO date-time). */
  readonly date: string
  /** Where the facts come from (a document, or the account `audit-profiles` read them from). */
  readonly source: string
  readonly prefixes: Readonly<Record<string, PrefixRouting>>
}

export interface PrefixRouting {
  /**
   * The prefix has no geographic boundary (`global`): from any source region it can run in any commercial region.
   * `sources` is then not consulted.
   */
  readonly anyRegion?: boolean
  /** Source region -> every region a request sent there can run in. A source missing here cannot call the prefix. */
  readonly sources: Readonly<Record<string, readonly string[]>>
}

/**
 * Where a request through `prefix`, sent to `sourceRegion`, can run: a list of regions, `'any'` for a prefix without a
 * boundary, or undefined when the catalog does not know that prefix from that source (so it cannot be called there).
 */
export function destinationsFor (catalog: RoutingCatalog, prefix: string, sourceRegion: string): readonly string[] | 'any' | undefined {
  const routing = Object.hasOwn(catalog.prefixes, prefix) ? catalog.prefixes[prefix] : undefined
  if (routing === undefined) return undefined
  if (routing.anyRegion === true) return 'any'
  return Object.hasOwn(routing.sources, sourceRegion) ? routing.sources[sourceRegion] : undefined
}

const CATALOG_KEYS = new Set(['date', 'source', 'prefixes'])
const PREFIX_ROUTING_KEYS = new Set(['anyRegion', 'sources'])
const CATALOG_DATE = /^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T[0-9:.]+(Z|[+-]\d{2}:\d{2}))?)?$/
const PREFIX_NAME = /^[a-z]+(-[a-z]+)*$/

/**
 * Validates a catalog read from JSON (the shape `audit-profiles --write-catalog` writes) and returns a frozen copy.
 * Throws an Error naming the path of the first problem.
 */
export function parseCatalog (json: unknown): RoutingCatalog {
  const root = objectAt(json, 'catalog', CATALOG_KEYS)
  const date = stringAt(root.date, 'catalog.date')
  if (!CATALOG_DATE.test(date)) throw new Error(`catalog.date: ${JSON.stringify(date)} is not a date like 2025-12 or 2025-12-01`)
  const source = stringAt(root.source, 'catalog.source')
  const prefixesJson = objectAt(root.prefixes, 'catalog.prefixes')
  const prefixes: Record<string, PrefixRouting> = {}
  for (const [prefix, routingJson] of Object.entries(prefixesJson)) {
    const path = `catalog.prefixes.${prefix}`
    if (!PREFIX_NAME.test(prefix)) throw new Error(`${path}: ${JSON.stringify(prefix)} is not an inference-profile prefix`)
    prefixes[prefix] = parsePrefixRouting(routingJson, path)
  }
  return Object.freeze({ date, source, prefixes: Object.freeze(prefixes) })
}

function parsePrefixRouting (json: unknown, path: string): PrefixRouting {
  const routing = objectAt(json, path, PREFIX_ROUTING_KEYS)
  const sourcesJson = objectAt(routing.sources, `${path}.sources`)
  const sources: Record<string, readonly string[]> = {}
  for (const [source, destinationsJson] of Object.entries(sourcesJson)) {
    const sourcePath = `${path}.sources[${JSON.stringify(source)}]`
    if (!isRegionName(source)) throw new Error(`${sourcePath}: ${JSON.stringify(source)} is not an AWS region`)
    sources[source] = parseDestinations(destinationsJson, sourcePath)
  }
  if (routing.anyRegion === undefined) return Object.freeze({ sources: Object.freeze(sources) })
  if (typeof routing.anyRegion !== 'boolean') throw new Error(`${path}.anyRegion: expected true or false`)
  return Object.freeze({ anyRegion: routing.anyRegion, sources: Object.freeze(sources) })
}

function parseDestinations (json: unknown, path: string): readonly string[] {
  if (!Array.isArray(json) || json.length === 0) throw new Error(`${path}: expected a non-empty list of regions`)
  const destinations = json.map((region: unknown, i) => {
    if (typeof region !== 'string' || !isRegionName(region)) throw new Error(`${path}[${i}]: ${JSON.stringify(region)} is not an AWS region`)
    return region
  })
  const repeated = destinations.find((region, i) => destinations.indexOf(region) !== i)
  if (repeated !== undefined) throw new Error(`${path}: ${repeated} is listed twice`)
  return Object.freeze(destinations)
}

function objectAt (json: unknown, path: string, allowedKeys?: ReadonlySet<string>): Record<string, unknown> {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`${path}: expected an object`)
  const unknownKey = allowedKeys === undefined ? undefined : Object.keys(json).find((key) => !allowedKeys.has(key))
  if (unknownKey !== undefined) throw new Error(`${path}.${unknownKey}: unknown key`)
  return json as Record<string, unknown>
}

function stringAt (json: unknown, path: string): string {
  if (typeof json !== 'string' || json.trim() === '') throw new Error(`${path}: expected a non-empty string`)
  return json
}

/** The catalog shipped with the gateway, validated like any catalog file. */
export const SHIPPED_CATALOG: RoutingCatalog = parseCatalog(SHIPPED_CATALOG_DATA)

/** The routing catalog the engine decides with: `routing.catalogFile`'s when the config names one, else the shipped one. */
export function configuredCatalog (config: GeofenceConfig): RoutingCatalog {
  return config.routing.catalog ?? SHIPPED_CATALOG
}
