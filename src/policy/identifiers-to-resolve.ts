import type { AllowList, RoutedResourceRule, RoutingVerifyMode } from '../config/index.ts'
import {
  isResolvedResourceType,
  type NamedIdentifier,
  parseArn,
  RESOLVED_RESOURCE_KEYS,
  type ResourceIdentifier,
  type ResolvedResourceType
} from '../bedrock/index.ts'
import type { RequestFacts } from './types.ts'

/**
 * Whether the engine will want AWS's answer about this identifier: a resolved resource whose rule asks for
 * resolution, or (in `live` mode) a system profile under an allowed prefix. ARNs count only when they are in an
 * allowed partition and the requested region, so a request refused for those reasons costs no lookup.
 */
export function needsResolution (named: NamedIdentifier, region: string, allowList: AllowList, verify: RoutingVerifyMode): boolean {
  const { id } = named
  if (id.kind === 'inference-profile') return verify === 'live' && allowList.inferenceProfilePrefixes.includes(id.prefix)
  if (id.kind === 'regional-id') {
    if (!isResolvedResourceType(id.resourceType)) return false
    const rule = routedResourceRuleFor(allowList, id.resourceType)
    return rule.resolve && (rule.only === undefined || listsRegionalId(rule.only, id, region))
  }
  if (id.kind !== 'arn' || !allowList.partitions.includes(id.arn.partition) || id.arn.region !== region) return false
  const { resourceType } = id.arn
  if (isResolvedResourceType(resourceType)) {
    const rule = routedResourceRuleFor(allowList, resourceType)
    return rule.resolve && (rule.only === undefined || rule.only.includes(id.text))
  }
  return resourceType === 'inference-profile' && verify === 'live' && id.prefix !== undefined &&
    allowList.inferenceProfilePrefixes.includes(id.prefix)
}

type RegionalId = Extract<ResourceIdentifier, { kind: 'regional-id' }>

/** Whether a list of full ARNs holds the resource a request named by id alone, in the requested region. */
export function listsRegionalId (arns: readonly string[], id: RegionalId, region: string): boolean {
  return arns.some((text) => {
    const parsed = parseArn(text)
    return parsed.ok && parsed.arn.resourceType === id.resourceType && parsed.arn.resourceId === id.resourceId && parsed.arn.region === region
  })
}

const NONE: readonly string[] = []

/**
 * The identifier texts of a request that the gateway must resolve before deciding, each once. None when the request
 * is refused anyway for its operation or region.
 */
export function identifiersToResolve (facts: Omit<RequestFacts, 'routing'>, allowList: AllowList, verify: RoutingVerifyMode): readonly string[] {
  const { operation, region, identifiers } = facts
  if (!allowList.operations.includes(operation) || !allowList.regions.includes(region)) return NONE
  // Most requests need nothing resolved: then nothing is allocated.
  let texts: Set<string> | undefined
  for (const named of identifiers) {
    if (needsResolution(named, region, allowList, verify)) (texts ??= new Set()).add(named.id.text)
  }
  return texts === undefined ? NONE : [...texts]
}

/**
 * The rule for a resolved resource type. An allowlist built by hand without the issue-6 keys keeps the meaning it had
 * before them: only the ARNs in `routedResources`, unresolved.
 */
export function routedResourceRuleFor (allowList: AllowList, type: ResolvedResourceType): RoutedResourceRule {
  return allowList[RESOLVED_RESOURCE_KEYS[type]] ?? { only: allowList.routedResources, resolve: false }
}
