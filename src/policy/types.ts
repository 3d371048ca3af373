import type { OperationName } from '../bedrock/operation-names.ts'
import type { NamedIdentifier } from '../bedrock/identifier-types.ts'
import type { RoutingFacts, RoutingVerifyMode } from '../routing/types.ts'

/** What the engine decides on: the request as understood, plus the region the caller asked for. */
export interface RequestFacts {
  readonly operation: OperationName
  readonly region: string
  readonly identifiers: readonly NamedIdentifier[]
  /** What the control plane reported about routed identifiers (issue 6). Absent: nothing was resolved, `catalog` mode. */
  readonly routing?: RequestRouting
}

/** Resolution results handed to the engine as data; the engine itself never asks AWS. */
export interface RequestRouting {
  /** `live`: system profiles must also have a verified resolution whose every destination is allowed. */
  readonly verify: RoutingVerifyMode
  readonly resolutions: RoutingFacts
}
