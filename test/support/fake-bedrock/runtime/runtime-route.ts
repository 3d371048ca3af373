/** The bedrock-runtime operations the fake answers, and where their identifiers sit in the path. */
export type RuntimeOperation =
  | 'Converse'
  | 'ConverseStream'
  | 'InvokeModel'
  | 'InvokeModelWithResponseStream'
  | 'CountTokens'
  | 'ApplyGuardrail'
  | 'StartAsyncInvoke'
  | 'GetAsyncInvoke'
  | 'ListAsyncInvokes'
  | 'OpenAIChatCompletions'
  | 'OpenAIResponses'

export interface RuntimeRoute {
  readonly operation: RuntimeOperation
  /** Path labels, percent-decoded once. */
  readonly labels: readonly string[]
  readonly query: URLSearchParams
}

const MODEL_ACTIONS: Readonly<Record<string, RuntimeOperation>> = {
  converse: 'Converse',
  'converse-stream': 'ConverseStream',
  invoke: 'InvokeModel',
  'invoke-with-response-stream': 'InvokeModelWithResponseStream',
  'count-tokens': 'CountTokens'
}

/**
 * Which operation a request addresses, by the service model's HTTP bindings. A label is one raw path segment, so an
 * ARN whose `/` was not encoded is a different (unknown) path, as on Bedrock.
 */
export function runtimeRoute (method: string, rawUrl: string): RuntimeRoute | undefined {
  const queryStart = rawUrl.indexOf('?')
  const rawPath = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart)
  const query = new URLSearchParams(queryStart === -1 ? '' : rawUrl.slice(queryStart + 1))
  const segments = rawPath.split('/').slice(1).map(decodeLabel)
  if (segments.some(segment => segment === undefined)) return undefined
  const [first, second, third, fourth, fifth] = segments as string[]
  const route = (operation: RuntimeOperation, labels: string[]): RuntimeRoute => ({ operation, labels, query })

  if (method === 'POST' && first === 'model' && segments.length === 3 && second !== undefined && second !== '') {
    const operation = MODEL_ACTIONS[third ?? '']
    return operation === undefined ? undefined : route(operation, [second])
  }
  if (first === 'async-invoke') {
    if (method === 'POST' && segments.length === 1) return route('StartAsyncInvoke', [])
    if (method === 'GET' && segments.length === 1) return route('ListAsyncInvokes', [])
    if (method === 'GET' && segments.length === 2 && second !== '') return route('GetAsyncInvoke', [second as string])
  }
  if (method === 'POST' && rawPath === '/openai/v1/chat/completions') return route('OpenAIChatCompletions', [])
  if (method === 'POST' && rawPath === '/openai/v1/responses') return route('OpenAIResponses', [])
  if (method === 'POST' && first === 'guardrail' && segments.length === 5 && third === 'version' && fifth === 'apply') {
    return route('ApplyGuardrail', [second as string, fourth as string])
  }
  return undefined
}

function decodeLabel (segment: string): string | undefined {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined
  }
}
