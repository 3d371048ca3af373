import type { AllowList } from '../../src/config/types.ts'
import { DEFAULT_ALLOWED_OPERATIONS, OPERATION_NAMES } from '../../src/bedrock/operation-names.ts'

/** The seed allowlist (config/geofence.yaml), with the defaults the config loader fills in. */
export const SEED_ALLOW: AllowList = {
  regions: ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'ca-west-1', 'eu-west-2', 'ap-southeast-2', 'ap-southeast-4'],
  inferenceProfilePrefixes: ['us'],
  operations: DEFAULT_ALLOWED_OPERATIONS,
  partitions: ['aws'],
  routedResources: []
}

/** The seed allowlist with some fields replaced. */
export function seedWith (changes: Partial<AllowList>): AllowList {
  return { ...SEED_ALLOW, ...changes }
}

/** The seed allowlist with every operation enabled. */
export const SEED_ALL_OPERATIONS: AllowList = seedWith({ operations: OPERATION_NAMES })
