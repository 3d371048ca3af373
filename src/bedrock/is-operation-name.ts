import { OPERATION_NAMES, type OperationName } from './operation-names.ts'

const KNOWN_OPERATIONS: ReadonlySet<string> = new Set(OPERATION_NAMES)

export function isOperationName (name: string): name is OperationName {
  return KNOWN_OPERATIONS.has(name)
}
