import { InvalidArgumentError } from 'commander'
import { isOperationName, OPERATION_NAMES, type OperationName } from '../bedrock/index.ts'
import { closestMatch } from '../config/index.ts'

/** What `explain` and `audit-profiles` decide for when no `--operation` is given. */
export const DEFAULT_OPERATION: OperationName = 'InvokeModel'
export const OPERATION_OPTION_DESCRIPTION = 'bedrock-runtime operation to decide for'

/** ` (did you mean X?)` when something in `candidates` is close to `value`, else nothing. */
export function didYouMean (value: string, candidates: readonly string[]): string {
  const guess = closestMatch(value, candidates)
  return guess === undefined ? '' : ` (did you mean ${guess}?)`
}

/** Commander's parser for `--operation`: a usage error (exit 2) with a suggestion for anything not an operation. */
export function parseOperation (value: string): OperationName {
  if (isOperationName(value)) return value
  throw new InvalidArgumentError(`"${value}" is not a bedrock-runtime operation${didYouMean(value, OPERATION_NAMES)}`)
}
