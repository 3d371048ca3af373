import { OPERATION_NAMES, type OperationName } from './operation-names.ts'
import type { OperationSpec } from './operation-spec.ts'
import { RUNTIME_OPERATIONS } from './runtime-operations.ts'
import { OPENAI_RUNTIME_OPERATIONS } from './openai-operations.ts'
import { MANTLE_OPERATIONS } from './mantle-operations.ts'
import { AGENT_RUNTIME_OPERATIONS } from './agent-runtime-operations.ts'

export type { HttpMethod, OperationSpec, SseDialect } from './operation-spec.ts'

/** Every operation the gateway understands, of every Bedrock API it fronts; each row names its API. */
export const OPERATIONS: Readonly<Record<OperationName, OperationSpec>> = {
  ...RUNTIME_OPERATIONS,
  ...OPENAI_RUNTIME_OPERATIONS,
  ...MANTLE_OPERATIONS,
  ...AGENT_RUNTIME_OPERATIONS
}

/** IAM action per operation; the IAM policy generator adds these for operations beyond the default. */
export const IAM_ACTION = Object.freeze(Object.fromEntries(
  OPERATION_NAMES.map((name) => [name, OPERATIONS[name].iamAction])
)) as Readonly<Record<OperationName, string>>

/** Every IAM action per operation (`iamAction` first): what the IAM policy generator grants for an allowed operation. */
export const IAM_ACTIONS = Object.freeze(Object.fromEntries(
  OPERATION_NAMES.map((name) => [name, OPERATIONS[name].iamActions])
)) as Readonly<Record<OperationName, readonly string[]>>
