import type { Decision } from './types.ts'
import type { ReasonCode } from './reason-codes.ts'

export function allow (message: string): Decision {
  return { allowed: true, reason: 'ALLOWED', message }
}

export function deny (reason: Exclude<ReasonCode, 'ALLOWED'>, message: string): Decision {
  return { allowed: false, reason, message }
}
