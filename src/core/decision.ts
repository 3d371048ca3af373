/** Stable reason codes. They appear in refusals, logs, metrics and `explain`; never rename one. */
export const REASON_CODES = [
  'ALLOWED',
  'REGION_NOT_ALLOWED',
  'PROFILE_PREFIX_NOT_ALLOWED',
  'GLOBAL_PROFILE_NOT_ALLOWED',
  'PROFILE_ROUTES_OUTSIDE_ALLOWLIST',
  'ARN_REGION_MISMATCH',
  'ARN_PARTITION_NOT_ALLOWED',
  'GUARDRAIL_REGION_MISMATCH',
  'MODEL_KIND_NOT_ALLOWED',
  'OPERATION_NOT_ALLOWED',
  'OPERATION_NOT_SUPPORTED',
  'UNKNOWN_OPERATION',
  'MALFORMED_REQUEST',
  'ROUTING_UNVERIFIED'
] as const

export type ReasonCode = (typeof REASON_CODES)[number]

/**
 * The refusals of the allowlist itself: where a well-formed request would run, and whether this caller may run it
 * there. Only these can be reported instead of enforced (monitor mode). A request that is malformed, names no known
 * operation or one the gateway cannot carry is never forwarded, in any mode: there is nothing sound to forward.
 */
export const ALLOWLIST_REASONS: ReadonlySet<ReasonCode> = new Set<ReasonCode>([
  'REGION_NOT_ALLOWED',
  'PROFILE_PREFIX_NOT_ALLOWED',
  'GLOBAL_PROFILE_NOT_ALLOWED',
  'PROFILE_ROUTES_OUTSIDE_ALLOWLIST',
  'ARN_REGION_MISMATCH',
  'ARN_PARTITION_NOT_ALLOWED',
  'GUARDRAIL_REGION_MISMATCH',
  'MODEL_KIND_NOT_ALLOWED',
  'OPERATION_NOT_ALLOWED',
  'ROUTING_UNVERIFIED'
])

export interface Decision {
  readonly allowed: boolean
  readonly reason: ReasonCode
  /** One line naming the offending value; safe to show to the caller (never a secret, never a body). */
  readonly message: string
}

export function allow (message: string): Decision {
  return { allowed: true, reason: 'ALLOWED', message }
}

export function deny (reason: Exclude<ReasonCode, 'ALLOWED'>, message: string): Decision {
  return { allowed: false, reason, message }
}

/**
 * What became of a request, as the audit log and the metrics say it. allowed: the engine allowed it (whatever
 * Bedrock then answered); denied: refused by the engine or as malformed; would_deny: the engine refused it and
 * monitor mode forwarded it anyway; unauthenticated: refused before the engine because the caller could not be
 * identified; shed: answered 503 ServiceUnavailableException without reaching Bedrock (overload or shutdown), so that
 * clients back off.
 */
export const REQUEST_DECISIONS = ['allowed', 'denied', 'would_deny', 'unauthenticated', 'shed'] as const
export type RequestDecision = (typeof REQUEST_DECISIONS)[number]
