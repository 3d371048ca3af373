import type { RawAllow, RawClient, RawClientAllow, RawConfig } from './schema.ts'
import type { AllowList, ClientConfig, GeofenceConfig, RoutedResourceRule, RoutedResourceSetting } from './types.ts'

type ResolvedAllowList = AllowList & {
  readonly applicationInferenceProfiles: RoutedResourceRule
  readonly promptRouters: RoutedResourceRule
  readonly agentAliases: RoutedResourceRule
  readonly flowAliases: RoutedResourceRule
}

function globalAllow (raw: RawAllow): ResolvedAllowList {
  return {
    ...raw,
    applicationInferenceProfiles: ruleFromSetting(raw.applicationInferenceProfiles),
    promptRouters: ruleFromSetting(raw.promptRouters),
    agentAliases: ruleFromSetting(raw.agentAliases),
    flowAliases: ruleFromSetting(raw.flowAliases)
  }
}

/**
 * Validation has already proven every listed value is in the global list, so taking the client's list narrows; the
 * routed-resource rules narrow by intersection.
 */
function narrowedAllow (global: ResolvedAllowList, narrowing: RawClientAllow | undefined): AllowList {
  return {
    ...global,
    regions: narrowing?.regions ?? global.regions,
    inferenceProfilePrefixes: narrowing?.inferenceProfilePrefixes ?? global.inferenceProfilePrefixes,
    operations: narrowing?.operations ?? global.operations,
    applicationInferenceProfiles: narrowRule(global.applicationInferenceProfiles, narrowing?.applicationInferenceProfiles),
    promptRouters: narrowRule(global.promptRouters, narrowing?.promptRouters),
    agentAliases: narrowRule(global.agentAliases, narrowing?.agentAliases),
    flowAliases: narrowRule(global.flowAliases, narrowing?.flowAliases)
  }
}

/** Validation has already proven the client has exactly one complete set of credentials. */
function toClient (raw: RawClient, global: ResolvedAllowList): ClientConfig {
  const common = {
    name: raw.name,
    allow: narrowedAllow(global, raw.allow),
    ...(raw.defaultRegion === undefined ? {} : { defaultRegion: raw.defaultRegion }),
    ...(raw.enforcement === undefined ? {} : { enforcement: raw.enforcement })
  }
  if (raw.apiKeySha256 !== undefined) return { kind: 'bearer', ...common, apiKeySha256: raw.apiKeySha256 }
  return { kind: 'sigv4', ...common, accessKeyId: raw.accessKeyId!, secretAccessKey: raw.secretAccessKey! }
}

/** Frozen all the way down: a loaded config is shared by in-flight requests and must never change under them. */
function deepFreeze<T> (value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const child of Object.values(value)) deepFreeze(child)
  }
  return value
}

export function buildConfig (raw: RawConfig): GeofenceConfig {
  const allow = globalAllow(raw.allow)
  return deepFreeze({ ...raw, allow, clients: raw.clients.map((client) => toClient(client, allow)) })
}

/** `resolve`: any ARN, if AWS reports it runs only in allowed regions. */
const RESOLVE_ANY: RoutedResourceRule = { resolve: true }
/** `deny`: no ARN at all. */
const DENY_ALL: RoutedResourceRule = { only: [], resolve: false }

export function ruleFromSetting (setting: RoutedResourceSetting): RoutedResourceRule {
  if (setting === 'resolve') return RESOLVE_ANY
  if (setting === 'deny') return DENY_ALL
  return { only: setting, resolve: false }
}

/**
 * A client's setting applied on top of the global rule, never widening it: the ARNs both admit, resolved when either
 * asks for resolution. So a client's list under a global `resolve` still has every listed ARN checked against AWS,
 * and a client's `resolve` under a global list checks the operator's listed ARNs too.
 */
export function narrowRule (global: RoutedResourceRule, client: RoutedResourceSetting | undefined): RoutedResourceRule {
  if (client === undefined) return global
  const narrowing = ruleFromSetting(client)
  const only = intersection(global.only, narrowing.only)
  // Without `only` on either side, both were `resolve`.
  if (only === undefined) return RESOLVE_ANY
  return only.length === 0 ? DENY_ALL : { only, resolve: global.resolve || narrowing.resolve }
}

/** Undefined stands for every ARN. */
function intersection (a: readonly string[] | undefined, b: readonly string[] | undefined): readonly string[] | undefined {
  if (a === undefined) return b
  if (b === undefined) return a
  return a.filter((arn) => b.includes(arn))
}
