import { OPERATION_NAMES, type OperationName } from './operation-names.ts'
import type { OperationSpec } from './operation-spec.ts'
import { RUNTIME_OPERATIONS } from './runtime-operations.ts'
import { AGENT_RUNTIME_OPERATIONS } from './agent-runtime-operations.ts'

export type { HttpMethod, OperationSpec } from './operation-spec.ts'

/** Every operation the gateway understands, of every Bedrock API it fronts; each row names its API. */
export const OPERATIONS: Readonly<Record<OperationName, OperationSpec>> = {
  ...RUNTIME_OPERATIONS,
  ...AGENT_RUNTIME_OPERATIONS
}

/** IAM action per operation; the IAM policy generator adds these for operations beyond the default. */
export const IAM_ACTION = Object.freeze(Object.fromEntries(
  OPERATION_NAMES.map((name) => [name, OPERATIONS[name].iamAction])
)) as Readonly<Record<OperationName, string>>
