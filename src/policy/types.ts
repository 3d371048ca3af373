import type { OperationName } from '../bedrock/operation-names.ts'
import type { NamedIdentifier } from '../bedrock/identifier-types.ts'
import type { ReasonCode } from './reason-codes.ts'

/** What the engine decides on: the request as understood, plus the region the caller asked for. */
export interface RequestFacts {
  readonly operation: OperationName
  readonly region: string
  readonly identifiers: readonly NamedIdentifier[]
}

export interface Decision {
  readonly allowed: boolean
  readonly reason: ReasonCode
  /** One line naming the offending value; safe to show to the caller (never a secret, never a body). */
  readonly message: string
}
