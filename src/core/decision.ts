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
