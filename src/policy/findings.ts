import { GLOBAL_PROFILE_PREFIX } from '../bedrock/index.ts'
import {
  type Acknowledgement,
  type AllowList,
  configuredCatalog,
  destinationsFor,
  type GeofenceConfig,
  type RoutingCatalog
} from '../config/index.ts'

/** Something about the allowlist an operator must know, with an id stable enough to acknowledge in config. */
export interface Finding {
  /**
   * `global-allowed`, `prefix-routes-outside:<prefix>:<source region>`, `prefix-not-callable:<prefix>` or
   * `mantle-model-routing-undocumented:<model>`.
   */
  readonly id: string
  readonly message: string
}

export const FINDING_KINDS = {
  globalAllowed: 'global-allowed',
  mantleModel: 'mantle-model-routing-undocumented',
  routesOutside: 'prefix-routes-outside',
  notCallable: 'prefix-not-callable'
} as const
const ID_SEPARATOR = ':'

function findingId (...parts: string[]): string {
  return parts.join(ID_SEPARATOR)
}

function prefixFindings (prefix: string, allow: AllowList, catalog: RoutingCatalog): Finding[] {
  const found: Finding[] = []
  let callable = false
  for (const source of allow.regions) {
    const destinations = destinationsFor(catalog, prefix, source)
    if (destinations === undefined) continue
    callable = true
    const outside = destinations === 'any'
      ? 'any commercial region'
      : destinations.filter((region) => !allow.regions.includes(region)).join(', ')
    if (outside !== '') {
      found.push({
        id: findingId(FINDING_KINDS.routesOutside, prefix, source),
        message: `${prefix} called from ${source} can run in ${outside}, outside allow.regions (routing catalog ${catalog.date})`
      })
    }
  }
  if (!callable) {
    const why = Object.hasOwn(catalog.prefixes, prefix)
      ? `cannot be called from any region in allow.regions (routing catalog ${catalog.date})`
      : `are unknown to the routing catalog (${catalog.date})`
    found.push({
      id: findingId(FINDING_KINDS.notCallable, prefix),
      message: `${prefix} profiles ${why}, so the gateway refuses them all`
    })
  }
  return found
}

/**
 * What `check` reports about the global allowlist, in config order: `global` allowed; every allowed prefix that,
 * called from an allowed region, can run outside the allowed regions (the engine refuses those calls, but the IAM
 * policy alone would not); and every allowed prefix no allowed region can call.
 */
export function findings (config: GeofenceConfig, catalog: RoutingCatalog = configuredCatalog(config)): Finding[] {
  return [...prefixesFindings(config, catalog), ...mantleModelFindings(config.allow)]
}

/**
 * Every model listed in allow.mantleModels: AWS does not document where bedrock-mantle runs a model, so allowing one
 * is the operator's word, given in config, not the gateway's finding.
 */
function mantleModelFindings (allow: AllowList): Finding[] {
  return (allow.mantleModels ?? []).map((model) => ({
    id: findingId(FINDING_KINDS.mantleModel, model),
    message: `${model} is in allow.mantleModels: AWS does not document which regions bedrock-mantle runs it in, ` +
      'so the gateway cannot check that it stays inside allow.regions'
  }))
}

function prefixesFindings (config: GeofenceConfig, catalog: RoutingCatalog): Finding[] {
  return config.allow.inferenceProfilePrefixes.flatMap((prefix) => prefix === GLOBAL_PROFILE_PREFIX
    ? [{
        id: FINDING_KINDS.globalAllowed,
        message: 'global is in allow.inferenceProfilePrefixes: global profiles can run in any commercial region, ' +
          'with no geographic boundary at all'
      }]
    : prefixFindings(prefix, config.allow, catalog))
}

/** Findings the config has not accepted with an explicit, named acknowledgement. */
export function unacknowledged (found: readonly Finding[], acknowledgements: readonly Acknowledgement[]): Finding[] {
  const accepted = new Set(acknowledgements.map(({ finding }) => finding))
  return found.filter(({ id }) => !accepted.has(id))
}

/**
 * Acknowledgements that name no current finding. Worth a warning, not a failure: they do no harm today, but would
 * silently accept the finding if it came back after the allowlist changed.
 */
export function staleAcknowledgements (found: readonly Finding[], acknowledgements: readonly Acknowledgement[]): Acknowledgement[] {
  const current = new Set(found.map(({ id }) => id))
  return acknowledgements.filter(({ finding }) => !current.has(finding))
}
