import type { ResourceIdentifier } from './identifier-types.ts'

/** The cross-region profile prefix (`us`, `eu`, `global` ...) an identifier carries: a profile id's, or a profile ARN's. */
export function profilePrefixOf (id: ResourceIdentifier): string | undefined {
  return id.kind === 'inference-profile' || id.kind === 'arn' ? id.prefix : undefined
}
