import type { RoutedResourceRule, RoutedResourceSetting } from './types.ts'

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
