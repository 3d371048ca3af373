/** Every bedrock-runtime operation the service model defines (botocore bedrock-runtime/2023-09-30). */
export const RUNTIME_OPERATION_NAMES = [
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

export type RuntimeOperationName = (typeof RUNTIME_OPERATION_NAMES)[number]

/** bedrock-runtime's OpenAI-compatible operations (its `/openai/v1/...` paths), which botocore does not model. */
export const OPENAI_RUNTIME_OPERATION_NAMES = ['OpenAIChatCompletions', 'OpenAIResponses'] as const

export type OpenAIRuntimeOperationName = (typeof OPENAI_RUNTIME_OPERATION_NAMES)[number]

/** bedrock-mantle's inference operations: one per upstream path, so the path sent upstream is never a guess. */
export const MANTLE_OPERATION_NAMES = [
  'MantleChatCompletions',
  'MantleOpenAIChatCompletions',
  'MantleResponses',
  'MantleOpenAIResponses',
  'MantleMessages',
  'MantleCountTokens'
] as const

export type MantleOperationName = (typeof MANTLE_OPERATION_NAMES)[number]

/**
 * The bedrock-agent-runtime operations the gateway understands (botocore bedrock-agent-runtime/2023-07-26): the ones
 * that run a model. The service's other operations (sessions, memories, flow executions ...) stay unknown.
 */
export const AGENT_RUNTIME_OPERATION_NAMES = [
  'Rerank',
  'Retrieve',
  'RetrieveAndGenerate',
  'RetrieveAndGenerateStream',
  'InvokeAgent',
  'InvokeInlineAgent',
  'InvokeFlow'
] as const

export type AgentRuntimeOperationName = (typeof AGENT_RUNTIME_OPERATION_NAMES)[number]

/** Every operation the gateway understands, of every Bedrock API it fronts. */
export const OPERATION_NAMES = [
  ...RUNTIME_OPERATION_NAMES,
  ...OPENAI_RUNTIME_OPERATION_NAMES,
  ...MANTLE_OPERATION_NAMES,
  ...AGENT_RUNTIME_OPERATION_NAMES
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
