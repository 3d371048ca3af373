import type { ResourceIdentifier } from './identifier-types.ts'

/** System-defined inference-profile prefixes Bedrock uses (the inference-profile ids of the Bedrock user guide). */
export const SYSTEM_PROFILE_PREFIXES: ReadonlySet<string> = new Set(['us', 'us-gov', 'eu', 'apac', 'au', 'jp', 'ca', 'global'])

/** The prefix with no geographic boundary at all. */
export const GLOBAL_PROFILE_PREFIX = 'global'

/** The cross-region profile prefix (`us`, `eu`, `global` ...) an identifier carries: a profile id's, or a profile ARN's. */
export function profilePrefixOf (id: ResourceIdentifier): string | undefined {
  return id.kind === 'inference-profile' || id.kind === 'arn' ? id.prefix : undefined
}
