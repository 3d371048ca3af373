import { narrowRule, ruleFromSetting } from './routed-resource-rule.ts'
import type { RawAllow, RawClient, RawClientAllow, RawConfig } from './schema.ts'
import type { AllowList, ClientConfig, GeofenceConfig, RoutedResourceRule } from './types.ts'

type ResolvedAllowList = AllowList & {
  readonly applicationInferenceProfiles: RoutedResourceRule
  readonly promptRouters: RoutedResourceRule
}

function globalAllow (raw: RawAllow): ResolvedAllowList {
  return {
    ...raw,
    applicationInferenceProfiles: ruleFromSetting(raw.applicationInferenceProfiles),
    promptRouters: ruleFromSetting(raw.promptRouters)
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
    promptRouters: narrowRule(global.promptRouters, narrowing?.promptRouters)
  }
}

/** Validation has already proven the client has exactly one complete set of credentials. */
function toClient (raw: RawClient, global: ResolvedAllowList): ClientConfig {
  const common = {
    name: raw.name,
    allow: narrowedAllow(global, raw.allow),
    ...(raw.defaultRegion === undefined ? {} : { defaultRegion: raw.defaultRegion })
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
