/** Every bedrock-runtime operation the service model defines (botocore bedrock-runtime/2023-09-30). */
export const OPERATION_NAMES = [
  'InvokeModel',
  'InvokeModelWithResponseStream',
  'Converse',
  'ConverseStream',
  'CountTokens',
  'InvokeModelWithBidirectionalStream',
  'StartAsyncInvoke',
  'GetAsyncInvoke',
  'ListAsyncInvokes',
  'ApplyGuardrail',
  'InvokeGuardrailChecks'
] as const

export type OperationName = (typeof OPERATION_NAMES)[number]

/** What `allow.operations` means when the config leaves it out. */
export const DEFAULT_ALLOWED_OPERATIONS: readonly OperationName[] = [
  'InvokeModel',
  'InvokeModelWithResponseStream',
  'Converse',
  'ConverseStream'
]

const KNOWN_OPERATIONS: ReadonlySet<string> = new Set(OPERATION_NAMES)

export function isOperationName (name: string): name is OperationName {
  return KNOWN_OPERATIONS.has(name)
}
