import {
  type AllowList,
  destinationsFor,
  PROFILE_PROVIDERS_WITHOUT_PUBLISHED_DESTINATIONS,
  type RoutingCatalog,
  type RoutingVerifyMode,
  SHIPPED_CATALOG
} from '../config/index.ts'
import {
  GLOBAL_PROFILE_PREFIX,
  type IdentifierLocation,
  isOperationName,
  isResolvedResourceType,
  type NamedIdentifier,
  OPERATION_NAMES,
  type OperationName,
  OPERATIONS,
  profilePrefixOf,
  quoteValue,
  RESOLVED_RESOURCE_KEYS,
  RESOURCE_ROUTING,
  SYSTEM_PROFILE_PREFIXES
} from '../bedrock/index.ts'
import { ANY_REGION, type RequestFacts, type RoutingFacts, type VerifiedRouting } from './types.ts'
import { allow, type Decision, deny } from '../core/index.ts'
import { listsRegionalId, needsResolution, routedResourceRuleFor } from './identifiers-to-resolve.ts'

/** How a refusal names what was resolved; any other ARN type is named by its resource type. */
const ROUTED_KIND_NAMES: Readonly<Record<string, string>> = {
  'inference-profile': 'inference profile',
  'application-inference-profile': 'application profile',
  'prompt-router': 'prompt router',
  'default-prompt-router': 'prompt router',
  'agent-alias': 'agent alias',
  'flow-alias': 'flow alias'
}
/** Identifier locations an operation cannot do without (headers and guardrail configs are optional). */
const REQUIRED_LOCATION = /^(path\.|body\.modelId$|body\.model$)/
/** Each operation's required locations, picked out once rather than matched on every request. */
const REQUIRED_LOCATIONS: ReadonlyMap<OperationName, readonly IdentifierLocation[]> = new Map(OPERATION_NAMES.map((operation) =>
  [operation, OPERATIONS[operation].identifiers.filter((location) => REQUIRED_LOCATION.test(location))]))

/**
 * Decides one request, fail-closed, by these rules in order; the first rule that fails gives the reason:
 * 1 operation known and allowed; 2 requested region allowed; 3 profile prefixes allowed, exactly, and every region
 * the catalog says they can reach from here allowed (a listed `global` is the operator's choice, acknowledged at
 * start-up); 4 ARNs in an allowed partition and the requested region, with resources that route elsewhere only
 * when listed or, for application profiles and prompt routers, when their rule admits them; 4b every
 * identifier that needs resolution has AWS's answer in `facts.routing`, and every region it reports is allowed;
 * 5 guardrail ARNs in the requested region. Pure: no I/O, no clock, no state.
 */
export function decide (facts: RequestFacts, allowList: AllowList, catalog: RoutingCatalog = SHIPPED_CATALOG): Decision {
  const { operation, region, identifiers } = facts
  if (!isOperationName(operation)) return deny('UNKNOWN_OPERATION', `${quoteValue(operation)} is not a Bedrock runtime operation`)
  if (!allowList.operations.includes(operation)) return deny('OPERATION_NOT_ALLOWED', `operation ${operation} is not in allow.operations`)
  const shapeProblem = checkIdentifierShape(facts)
  if (shapeProblem !== undefined) return deny('MALFORMED_REQUEST', shapeProblem)

  if (!allowList.regions.includes(region)) return deny('REGION_NOT_ALLOWED', `region ${quoteValue(region)} is not in allow.regions`)

  for (const named of identifiers) {
    const refusal = checkProfile(named, region, allowList, catalog)
    if (refusal !== undefined) return refusal
  }
  for (const named of identifiers) {
    const refusal = checkArn(named, region, allowList)
    if (refusal !== undefined) return refusal
  }
  const verify = facts.routing?.verify ?? 'catalog'
  for (const named of identifiers) {
    const refusal = checkUndocumentedRouting(named, operation, region, allowList, verify)
    if (refusal !== undefined) return refusal
  }
  for (const named of identifiers) {
    if (!needsResolution(named, region, allowList, verify)) continue
    const refusal = checkResolvedRouting(named, region, allowList, facts.routing?.resolutions)
    if (refusal !== undefined) return refusal
  }
  for (const named of identifiers) {
    const { id } = named
    if (id.kind === 'arn' && id.arn.resourceType === 'guardrail' && id.arn.region !== region) {
      return deny('GUARDRAIL_REGION_MISMATCH',
        `${describe(named)}: guardrail is in ${regionName(id.arn.region)}, not in the requested region ${region}`)
    }
  }
  let message = `${operation} in ${region} allowed`
  for (const named of identifiers) message += `; ${describe(named)}`
  return allow(message)
}

/** Facts not produced by understandRequest (the CLI, future resolvers) must still name what the operation needs. */
function checkIdentifierShape ({ operation, identifiers }: RequestFacts): string | undefined {
  const expected = OPERATIONS[operation].identifiers
  for (const named of identifiers) {
    if (!expected.includes(named.location)) return `${operation} names no identifier at ${named.location}`
  }
  for (const location of REQUIRED_LOCATIONS.get(operation) ?? []) {
    if (!identifiers.some((named) => named.location === location)) return `${operation} needs an identifier at ${location}`
  }
  return undefined
}

function checkProfile (named: NamedIdentifier, region: string, allowList: AllowList, catalog: RoutingCatalog): Decision | undefined {
  const { id } = named
  const prefix = profilePrefixOf(id)
  if (prefix === undefined) return undefined
  if (!allowList.inferenceProfilePrefixes.includes(prefix)) {
    if (prefix.toLowerCase() === GLOBAL_PROFILE_PREFIX) {
      return deny('GLOBAL_PROFILE_NOT_ALLOWED',
        `${describe(named)}: global inference profiles can run in any commercial region, and ${quoteValue(prefix)} is not in allow.inferenceProfilePrefixes`)
    }
    const unknown = SYSTEM_PROFILE_PREFIXES.has(prefix) ? '' : ' (neither a known model provider nor a known prefix, matched case-sensitively)'
    return deny('PROFILE_PREFIX_NOT_ALLOWED',
      `${describe(named)}: inference-profile prefix ${quoteValue(prefix)}${unknown} is not in allow.inferenceProfilePrefixes`)
  }
  const destinations = destinationsFor(catalog, prefix, region)
  if (destinations === undefined) {
    return deny('PROFILE_PREFIX_NOT_ALLOWED',
      `${describe(named)}: the routing catalog (${catalog.date}) has no ${quoteValue(prefix)} profiles callable from ${region}`)
  }
  // The prefix is listed, so `global` here is the operator's explicit choice (`serve` makes them acknowledge it).
  if (destinations === 'any' || allIncluded(destinations, allowList.regions)) return undefined
  const outside = destinations.filter((destination) => !allowList.regions.includes(destination))
  return deny('PROFILE_ROUTES_OUTSIDE_ALLOWLIST',
    `${describe(named)} called from ${region} can run in ${outside.join(', ')}, outside allow.regions (routing catalog ${catalog.date})`)
}

function checkArn (named: NamedIdentifier, region: string, allowList: AllowList): Decision | undefined {
  const { id } = named
  if (id.kind === 'regional-id') return checkRegionalId(named, region, allowList)
  if (id.kind !== 'arn') return undefined
  const { arn } = id
  if (!allowList.partitions.includes(arn.partition)) {
    return deny('ARN_PARTITION_NOT_ALLOWED', `${describe(named)}: partition ${quoteValue(arn.partition)} is not in allow.partitions`)
  }
  const routing = RESOURCE_ROUTING[arn.resourceType]
  // Guardrails get their own, more specific reason under rule 5.
  if (arn.resourceType !== 'guardrail' && arn.region !== region) {
    return deny('ARN_REGION_MISMATCH', `${describe(named)}: ARN region ${regionName(arn.region)} is not the requested region ${region}`)
  }
  if (routing === 'routed' && !allowList.routedResources.includes(arn.text)) {
    return deny('MODEL_KIND_NOT_ALLOWED',
      `${describe(named)}: ${resourceKind(arn.service, arn.resourceType)} ARNs can route to other regions, and this one is not in allow.routedResources`)
  }
  if (isResolvedResourceType(arn.resourceType)) {
    const rule = routedResourceRuleFor(allowList, arn.resourceType)
    if (rule.only !== undefined && !rule.only.includes(arn.text)) {
      const key = RESOLVED_RESOURCE_KEYS[arn.resourceType]
      const setting = allowList[key] === undefined ? 'allow.routedResources' : `allow.${key}`
      return deny('MODEL_KIND_NOT_ALLOWED',
        `${describe(named)}: ${arn.resourceType} ARNs can route to other regions, and ${setting} does not allow this one`)
    }
  }
  return undefined
}

/**
 * Rule 3b, fail closed where AWS publishes nothing: a bedrock-mantle model runs wherever mantle puts it (AWS documents
 * mantle's endpoints per region, not where it runs each model), so each must be listed in `allow.mantleModels`,
 * which `check` makes the operator acknowledge; and a system profile of a provider whose profiles' destination
 * regions AWS has not published (PROFILE_PROVIDERS_WITHOUT_PUBLISHED_DESTINATIONS) is allowed only on AWS's own
 * answer (`routing.verify: live`), never on the catalog's prefix-wide table.
 */
function checkUndocumentedRouting (named: NamedIdentifier, operation: OperationName, region: string, allowList: AllowList,
  verify: RoutingVerifyMode): Decision | undefined {
  const { id } = named
  if (OPERATIONS[operation].api === 'bedrock-mantle' && !(allowList.mantleModels ?? []).includes(id.text)) {
    return deny('ROUTING_UNVERIFIED',
      `${describe(named)}: AWS does not document where bedrock-mantle runs this model from ${region}, and it is not in allow.mantleModels`)
  }
  const provider = profileProviderOf(named)
  if (verify === 'catalog' && provider !== undefined && PROFILE_PROVIDERS_WITHOUT_PUBLISHED_DESTINATIONS.has(provider)) {
    return deny('ROUTING_UNVERIFIED',
      `${describe(named)}: AWS publishes no destination regions for ${provider} inference profiles, so the routing catalog cannot vouch for them; set routing.verify to live to have AWS answer for each profile`)
  }
  return undefined
}

/** The provider segment of a system inference-profile id (`openai` in `us.openai.gpt-5.6-sol`), id or ARN. */
function profileProviderOf ({ id }: NamedIdentifier): string | undefined {
  if (profilePrefixOf(id) === undefined) return undefined
  const text = id.kind === 'arn' ? id.arn.resourceId : id.text
  return text.split('.')[1]
}

/** Rule 4 for an agent or flow alias named by id alone: it is in the requested region, and its rule must admit it. */
function checkRegionalId (named: NamedIdentifier, region: string, allowList: AllowList): Decision | undefined {
  const { id } = named
  if (id.kind !== 'regional-id' || !isResolvedResourceType(id.resourceType)) return undefined
  const rule = routedResourceRuleFor(allowList, id.resourceType)
  if (rule.only === undefined || listsRegionalId(rule.only, id, region)) return undefined
  const key = RESOLVED_RESOURCE_KEYS[id.resourceType]
  const setting = allowList[key] === undefined ? 'allow.routedResources' : `allow.${key}`
  return deny('MODEL_KIND_NOT_ALLOWED',
    `${describe(named)}: ${routedKind(named)}es run models the request does not name, and ${setting} does not list this one in ${region}`)
}

/** Rule 4b: AWS's answer, from the requested region, must exist and name only allowed regions. */
function checkResolvedRouting (named: NamedIdentifier, region: string, allowList: AllowList, resolutions: RoutingFacts | undefined): Decision | undefined {
  const kind = routedKind(named)
  const resolution = resolutions?.get(named.id.text)
  if (resolution === undefined) {
    return deny('ROUTING_UNVERIFIED', `${describe(named)}: where this ${kind} can run from ${region} was not resolved (no control-plane answer was given to the decision)`)
  }
  if (!resolution.verified) {
    return deny('ROUTING_UNVERIFIED', `${describe(named)}: where this ${kind} can run from ${region} could not be verified: ${resolution.problem}`)
  }
  const outside = outsideDestinations(resolution, allowList)
  if (outside.length === 0) return undefined
  return deny('PROFILE_ROUTES_OUTSIDE_ALLOWLIST',
    `${describe(named)}: ${kind} can run in ${outside.join(', ')}, outside allow.regions, as AWS reports it from ${region}`)
}

/** Each offending region once, with the first chain of answers that reached it. */
function outsideDestinations (resolution: VerifiedRouting, allowList: AllowList): string[] {
  return resolution.regions
    .filter((destination) => !allowList.regions.includes(destination))
    .map((destination) => {
      const via = resolution.destinations.find((reached) => reached.region === destination)?.via
      const name = destination === ANY_REGION ? 'any region' : destination
      return via === undefined ? name : `${name} (via ${via})`
    })
}

/**
 * Whether every one of `regions` is in `allowed`; the usual, allowed case allocates nothing. Indexed, because
 * for...of over a frozen array (the catalog's are) allocates a result object per element.
 */
function allIncluded (regions: readonly string[], allowed: readonly string[]): boolean {
  for (let i = 0; i < regions.length; i++) if (!allowed.includes(regions[i] ?? '')) return false
  return true
}

function routedKind ({ id }: NamedIdentifier): string {
  if (id.kind === 'regional-id') return ROUTED_KIND_NAMES[id.resourceType] ?? id.resourceType
  if (id.kind !== 'arn') return 'inference profile'
  return ROUTED_KIND_NAMES[id.arn.resourceType] ?? id.arn.resourceType
}

function describe (named: NamedIdentifier): string {
  return `${named.location} ${quoteValue(named.id.text)}`
}

function regionName (region: string): string {
  return region === '' ? '(none)' : region
}

function resourceKind (service: string, resourceType: string): string {
  return service === 'sagemaker' ? `SageMaker ${resourceType}` : resourceType
}
