import {
  type ArnResourceType,
  isResolvedResourceType,
  parseArn,
  type ParsedArn,
  RESOLVED_RESOURCE_KEYS,
  type ResolvedResourceType,
  RESOURCE_ROUTING
} from '../bedrock/index.ts'
import { AWS_REGION_PARTITION } from './aws-regions.ts'
import type { RawConfig, RoutedResourceKey } from './schema.ts'
import type { RoutedResourceSetting } from './types.ts'
import { formatPath } from './problem-text.ts'

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

/** An ARN the allowlist names must itself sit inside the allowlist: an allowed partition and an allowed region. */
export function listedArnPlacementProblems (where: string, text: string, arn: ParsedArn, allow: RawConfig['allow']): string[] {
  const problems: string[] = []
  if (!allow.partitions.includes(arn.partition)) {
    problems.push(`${where}: ${JSON.stringify(text)} is in partition ${arn.partition}, which allow.partitions does not list`)
  }
  if (!allow.regions.includes(arn.region)) {
    problems.push(`${where}: ${JSON.stringify(text)} is in region ${arn.region}, which allow.regions does not list`)
  }
  return problems
}

const ROUTED_RESOURCE_KEYS: readonly RoutedResourceKey[] = ['applicationInferenceProfiles', 'promptRouters', 'agentAliases', 'flowAliases']

function typesListedUnder (key: RoutedResourceKey): readonly ResolvedResourceType[] {
  return (Object.keys(RESOLVED_RESOURCE_KEYS) as ResolvedResourceType[]).filter((type) => RESOLVED_RESOURCE_KEYS[type] === key)
}

/** Each listed ARN must parse, be of a kind the key governs, and be callable under the global allowlist. */
function listedArnProblems ({ allow }: RawConfig, key: RoutedResourceKey): string[] {
  const setting = allow[key]
  if (typeof setting === 'string') return []
  const types: readonly string[] = typesListedUnder(key)
  return setting.flatMap((text, index) => {
    const where = formatPath(['allow', key, index])
    const parsed = parseArn(text)
    if (!parsed.ok) return [`${where}: ${parsed.message} (expected a full ARN of type ${types.join(' or ')})`]
    const { arn } = parsed
    if (!types.includes(arn.resourceType)) {
      return [`${where}: ${JSON.stringify(text)} is of type ${arn.resourceType} (expected ${types.join(' or ')})`]
    }
    return listedArnPlacementProblems(where, text, arn, allow)
  })
}

/** A client may keep, tighten to a sub-list, add resolution to, or deny what the global setting allows; never more. */
function clientNarrowingProblems (global: RoutedResourceSetting, client: RoutedResourceSetting | undefined, where: string, key: RoutedResourceKey): string[] {
  if (client === undefined || client === 'deny' || global === 'resolve') return []
  if (global === 'deny') {
    return [`${where}: ${JSON.stringify(client)} is wider than allow.${key}, which is deny ` +
      '(a client\'s allowlist can only narrow the global one)']
  }
  if (client === 'resolve') return []
  return client.flatMap((arn, index) => global.includes(arn)
    ? []
    : [`${formatPath([where, index])}: ${JSON.stringify(arn)} is not in allow.${key} (a client's allowlist can only narrow the global one)`])
}

/** What the schema cannot say about allow.applicationInferenceProfiles and allow.promptRouters, global and per client. */
export function routedResourceSettingProblems (config: RawConfig): string[] {
  return ROUTED_RESOURCE_KEYS.flatMap((key) => [
    ...listedArnProblems(config, key),
    ...config.clients.flatMap((client, index) =>
      clientNarrowingProblems(config.allow[key], client.allow?.[key], formatPath(['clients', index, 'allow', key]), key))
  ])
}
