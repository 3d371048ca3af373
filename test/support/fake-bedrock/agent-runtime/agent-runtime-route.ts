/** The bedrock-agent-runtime operations the fake answers, by the service model's HTTP bindings (2023-07-26). */
export type AgentRuntimeOperation =
  | 'Rerank'
  | 'Retrieve'
  | 'RetrieveAndGenerate'
  | 'RetrieveAndGenerateStream'
  | 'InvokeAgent'
  | 'InvokeInlineAgent'
  | 'InvokeFlow'

export interface AgentRuntimeRoute {
  readonly operation: AgentRuntimeOperation
  /** Path labels, percent-decoded once. */
  readonly labels: readonly string[]
}

export function agentRuntimeRoute (method: string, rawUrl: string): AgentRuntimeRoute | undefined {
  if (method !== 'POST' || rawUrl.includes('?')) return undefined
  let segments: string[]
  try {
    segments = rawUrl.split('/').slice(1).map(decodeURIComponent)
  } catch {
    return undefined
  }
  const [first, second, third, fourth, fifth, sixth] = segments
  const route = (operation: AgentRuntimeOperation, labels: string[]): AgentRuntimeRoute => ({ operation, labels })
  if (segments.length === 1 && first === 'rerank') return route('Rerank', [])
  if (segments.length === 1 && first === 'retrieveAndGenerate') return route('RetrieveAndGenerate', [])
  if (segments.length === 1 && first === 'retrieveAndGenerateStream') return route('RetrieveAndGenerateStream', [])
  if (segments.length === 3 && first === 'knowledgebases' && third === 'retrieve') return route('Retrieve', [second ?? ''])
  if (segments.length === 2 && first === 'agents') return route('InvokeInlineAgent', [second ?? ''])
  if (segments.length === 7 && first === 'agents' && third === 'agentAliases' && fifth === 'sessions' && segments[6] === 'text') {
    return route('InvokeAgent', [second ?? '', fourth ?? '', sixth ?? ''])
  }
  if (segments.length === 4 && first === 'flows' && third === 'aliases') return route('InvokeFlow', [second ?? '', fourth ?? ''])
  return undefined
}
