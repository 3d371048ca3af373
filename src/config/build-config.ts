import type { RawClient, RawClientAllow, RawConfig } from './schema.ts'
import type { AllowList, ClientConfig, GeofenceConfig } from './types.ts'

/** Validation has already proven every listed value is in the global list, so taking the client's list narrows. */
function narrowedAllow (global: AllowList, narrowing: RawClientAllow | undefined): AllowList {
  return {
    ...global,
    regions: narrowing?.regions ?? global.regions,
    inferenceProfilePrefixes: narrowing?.inferenceProfilePrefixes ?? global.inferenceProfilePrefixes,
    operations: narrowing?.operations ?? global.operations
  }
}

/** Validation has already proven the client has exactly one complete set of credentials. */
function toClient (raw: RawClient, global: AllowList): ClientConfig {
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
  return deepFreeze({ ...raw, clients: raw.clients.map((client) => toClient(client, raw.allow)) })
}
