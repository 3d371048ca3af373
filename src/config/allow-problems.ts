import {
  type ArnResourceType,
  isResolvedResourceType,
  parseArn,
  RESOLVED_RESOURCE_KEYS,
  RESOURCE_ROUTING
} from '../bedrock/index.ts'
import { AWS_REGION_PARTITION } from './aws-regions.ts'
import type { RawConfig } from './schema.ts'
import { listedArnPlacementProblems } from './listed-arn-problems.ts'

/** The ARN types that can route beyond their own region unseen: the only ones `allow.routedResources` can list. */
const ROUTED_RESOURCE_TYPES = (Object.keys(RESOURCE_ROUTING) as ArnResourceType[])
  .filter((type) => RESOURCE_ROUTING[type] === 'routed')

function regionPartitionProblems ({ allow }: RawConfig): string[] {
  return allow.regions.flatMap((region, index) => {
    const partition = AWS_REGION_PARTITION[region]
    return partition === undefined || allow.partitions.includes(partition)
      ? []
      : [`allow.regions[${index}]: ${JSON.stringify(region)} is in partition ${partition}, ` +
          `which allow.partitions does not list (expected one of ${allow.partitions.join(', ')})`]
  })
}

function routedResourceProblems ({ allow }: RawConfig): string[] {
  return allow.routedResources.flatMap((text, index) => {
    const where = `allow.routedResources[${index}]`
    const parsed = parseArn(text)
    if (!parsed.ok) return [`${where}: ${parsed.message} (expected the full ARN of a routed resource)`]
    const { arn } = parsed
    if (isResolvedResourceType(arn.resourceType)) {
      return [`${where}: ${JSON.stringify(text)} is of type ${arn.resourceType}, which the gateway resolves; ` +
        `list it in allow.${RESOLVED_RESOURCE_KEYS[arn.resourceType]} instead`]
    }
    if (!ROUTED_RESOURCE_TYPES.includes(arn.resourceType)) {
      return [`${where}: ${JSON.stringify(text)} is a ${arn.resourceType}, which is allowed by region alone ` +
        `(expected one of ${ROUTED_RESOURCE_TYPES.join(', ')})`]
    }
    return listedArnPlacementProblems(where, text, arn, allow)
  })
}

/** What the schema cannot say about `allow`: regions must belong to allowed partitions, routed ARNs must parse. */
export function allowProblems (config: RawConfig): string[] {
  return [...regionPartitionProblems(config), ...routedResourceProblems(config)]
}
