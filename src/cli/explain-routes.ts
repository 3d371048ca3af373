import { type NamedIdentifier, profilePrefixOf } from '../bedrock/index.ts'
import { type AllowList, destinationsFor, type RoutingCatalog, type RoutingVerifyMode } from '../config/index.ts'
import { needsResolution, type RequestFacts, type RoutedDestination } from '../policy/index.ts'
import { regionList } from './cli-io.ts'

/** Where one identifier of the request can run, and who said so. */
export type RouteReport = { readonly identifier: string; readonly region: string } & (
  | { readonly source: 'aws'; readonly regions: readonly string[]; readonly routes: readonly RoutedDestination[] }
  | { readonly source: 'aws'; readonly problem: string }
  | { readonly source: 'catalog'; readonly catalogDate: string; readonly regions: readonly string[] | 'any' | 'none' }
  /** The gateway would have asked AWS, and `--offline` did not. */
  | { readonly source: 'offline' }
)

export interface RouteContext {
  readonly allowList: AllowList
  readonly catalog: RoutingCatalog
  /** `routing.verify` as configured: what the gateway would resolve, even when `--offline` did not. */
  readonly verify: RoutingVerifyMode
}

function reportFor (named: NamedIdentifier, facts: RequestFacts, context: RouteContext): RouteReport | undefined {
  const base = { identifier: named.id.text, region: facts.region }
  const resolution = facts.routing?.resolutions.get(named.id.text)
  if (resolution !== undefined) {
    return resolution.verified
      ? { ...base, source: 'aws', regions: resolution.regions, routes: resolution.destinations }
      : { ...base, source: 'aws', problem: resolution.problem }
  }
  const prefix = profilePrefixOf(named.id)
  if (prefix !== undefined) {
    return { ...base, source: 'catalog', catalogDate: context.catalog.date, regions: destinationsFor(context.catalog, prefix, facts.region) ?? 'none' }
  }
  return needsResolution(named, facts.region, context.allowList, context.verify) ? { ...base, source: 'offline' } : undefined
}

/**
 * For `explain`: every identifier of the request that can run beyond the requested region, with where it can run:
 * AWS's answer when the decision had one, else the routing catalog's for a system profile; an application profile
 * or prompt router the gateway would have resolved but `--offline` did not is reported as not resolved.
 */
export function routeReports (facts: RequestFacts, context: RouteContext): RouteReport[] {
  return facts.identifiers.flatMap((named) => reportFor(named, facts, context) ?? [])
}

/** One line, e.g. `"us.x" from us-east-1: us-east-1, us-west-2 (as AWS reports it)`. */
export function describeRoute (report: RouteReport): string {
  const subject = `${JSON.stringify(report.identifier)} from ${report.region}`
  switch (report.source) {
    case 'offline':
      return `${subject}: not resolved (--offline)`
    case 'aws':
      return 'problem' in report ? `${subject}: unverified (${report.problem})` : `${subject}: ${regionList(report.regions)} (as AWS reports it)`
    case 'catalog': {
      const where = report.regions === 'any'
        ? 'any commercial region'
        : report.regions === 'none' ? 'cannot be called from here' : regionList(report.regions)
      return `${subject}: ${where} (routing catalog ${report.catalogDate})`
    }
  }
}
