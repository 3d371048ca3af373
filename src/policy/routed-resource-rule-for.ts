import type { AllowList, RoutedResourceRule } from '../config/index.ts'
import { RESOLVED_RESOURCE_KEYS, type ResolvedResourceType } from '../bedrock/index.ts'

/**
 * The rule for a resolved resource type. An allowlist built by hand without the issue-6 keys keeps the meaning it had
 * before them: only the ARNs in `routedResources`, unresolved.
 */
export function routedResourceRuleFor (allowList: AllowList, type: ResolvedResourceType): RoutedResourceRule {
  return allowList[RESOLVED_RESOURCE_KEYS[type]] ?? { only: allowList.routedResources, resolve: false }
}
