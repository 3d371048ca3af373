import { parseArn, RESOLVED_RESOURCE_KEYS, type ResolvedResourceType } from '../bedrock/index.ts'
import type { RawConfig, RoutedResourceKey } from './schema.ts'
import { listedArnPlacementProblems } from './listed-arn-problems.ts'
import type { RoutedResourceSetting } from './types.ts'
import { formatPath } from './value-path.ts'

const ROUTED_RESOURCE_KEYS: readonly RoutedResourceKey[] = ['applicationInferenceProfiles', 'promptRouters']

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
