import { FAKE_UPSTREAM_CREDENTIALS, MAX_CLOCK_SKEW_MS } from '../constants.ts'
import type { AcceptedCredentials } from '../credentials.ts'
import type { Exchange } from '../exchange.ts'
import { startFakeServer } from '../fake-http-server.ts'
import type { FakeHttpService, Fault } from '../types.ts'
import {
  type AgentFixture,
  agentAliasAnswer,
  agentVersionAnswer,
  type FlowFixture,
  flowAliasAnswer,
  flowVersionAnswer
} from './fixtures.ts'

export type AgentControlPlaneOperation = 'GetAgentAlias' | 'GetAgentVersion' | 'GetAgent' | 'GetFlowAlias' | 'GetFlowVersion' | 'GetFlow' |
  'ListAgents' | 'ListAgentAliases' | 'ListFlows' | 'ListFlowAliases'

interface Route {
  readonly operation: AgentControlPlaneOperation
  readonly labels: readonly string[]
  readonly query: URLSearchParams
}

/** The bedrock-agent read paths (botocore bedrock-agent/2023-06-05), labels percent-decoded once. */
export function agentControlPlaneRoute (method: string, rawUrl: string): Route | undefined {
  if (method !== 'GET' && method !== 'POST') return undefined
  const queryStart = rawUrl.indexOf('?')
  const rawPath = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart)
  const query = new URLSearchParams(queryStart === -1 ? '' : rawUrl.slice(queryStart + 1))
  let segments: string[]
  try {
    segments = rawPath.split('/').slice(1).map(decodeURIComponent)
  } catch {
    return undefined
  }
  const [first, second, third, fourth, fifth] = segments
  const route = (operation: AgentControlPlaneOperation, labels: string[]): Route => ({ operation, labels, query })
  if (method === 'POST') {
    if (first === 'agents' && segments.length === 2 && second === '') return route('ListAgents', [])
    if (first === 'agents' && segments.length === 4 && third === 'agentaliases' && fourth === '') return route('ListAgentAliases', [second ?? ''])
    return undefined
  }
  if (first === 'flows' && segments.length === 2 && second === '') return route('ListFlows', [])
  if (first === 'flows' && segments.length === 3 && third === 'aliases') return route('ListFlowAliases', [second ?? ''])
  if (first === 'agents' && segments.length === 5 && third === 'agentaliases' && fifth === '') return route('GetAgentAlias', [second ?? '', fourth ?? ''])
  if (first === 'agents' && segments.length === 5 && third === 'agentversions' && fifth === '') return route('GetAgentVersion', [second ?? '', fourth ?? ''])
  if (first === 'agents' && segments.length === 3 && third === '') return route('GetAgent', [second ?? ''])
  if (first === 'flows' && segments.length === 4 && third === 'aliases') return route('GetFlowAlias', [second ?? '', fourth ?? ''])
  if (first === 'flows' && segments.length === 5 && third === 'versions' && fifth === '') return route('GetFlowVersion', [second ?? '', fourth ?? ''])
  if (first === 'flows' && segments.length === 3 && third === '') return route('GetFlow', [second ?? ''])
  return undefined
}

export interface FakeAgentControlPlaneOptions {
  readonly credentials?: AcceptedCredentials
  readonly agents?: readonly AgentFixture[]
  readonly flows?: readonly FlowFixture[]
  readonly fault?: Fault
}

export interface FakeAgentControlPlane extends FakeHttpService {
  /** How many requests for `operation` reached the fake, answered or not. */
  lookups (operation?: AgentControlPlaneOperation): number
}

/** Starts a fake Bedrock agents control plane (`bedrock-agent.{region}.amazonaws.com`) on 127.0.0.1. */
export async function startFakeAgentControlPlane (options: FakeAgentControlPlaneOptions = {}): Promise<FakeAgentControlPlane> {
  const agents = options.agents ?? []
  const flows = options.flows ?? []

  async function answer (exchange: Exchange): Promise<void> {
    const route = agentControlPlaneRoute(exchange.record.method, exchange.record.path)
    const region = exchange.record.region as string
    if (route === undefined) {
      exchange.sendError('UnknownOperationException', `No bedrock-agent operation matches ${exchange.record.method} ${exchange.record.path}`)
      return
    }
    const [id = '', second = ''] = route.labels
    const notFound = (what: string): void => { exchange.sendError('ResourceNotFoundException', `${what} not found in ${region}.`) }
    const inRegion = <T extends { readonly sourceRegion: string }>(list: readonly T[]): T[] => list.filter((item) => item.sourceRegion === region)
    switch (route.operation) {
      case 'ListAgents':
        await exchange.sendJson(200, { agentSummaries: inRegion(agents).map((agent) => ({ agentId: agent.agentId, agentName: `agent-${agent.agentId}`, agentStatus: 'PREPARED', updatedAt: '2025-01-15T10:00:00Z' })) })
        return
      case 'ListAgentAliases': {
        const agent = inRegion(agents).find((candidate) => candidate.agentId === id)
        if (agent === undefined) { notFound(`Agent ${id}`); return }
        await exchange.sendJson(200, { agentAliasSummaries: Object.keys(agent.aliases).map((aliasId) => ({ agentAliasId: aliasId, agentAliasName: `alias-${aliasId}`, createdAt: '2025-01-15T10:00:00Z', updatedAt: '2025-01-15T10:00:00Z' })) })
        return
      }
      case 'ListFlows':
        await exchange.sendJson(200, { flowSummaries: inRegion(flows).map((flow) => ({ id: flow.flowId, name: `flow-${flow.flowId}`, arn: `arn:aws:bedrock:${region}:000000000000:flow/${flow.flowId}`, status: 'Prepared', createdAt: '2025-01-15T10:00:00Z', updatedAt: '2025-01-15T10:00:00Z', version: 'DRAFT' })) })
        return
      case 'ListFlowAliases': {
        const flow = inRegion(flows).find((candidate) => candidate.flowId === id)
        if (flow === undefined) { notFound(`Flow ${id}`); return }
        await exchange.sendJson(200, { flowAliasSummaries: Object.keys(flow.aliases).map((aliasId) => flowAliasAnswer(flow, aliasId, flow.aliases[aliasId] ?? '1')) })
        return
      }
      default:
    }
    if (route.operation.startsWith('GetAgent')) {
      const agent = agents.find((candidate) => candidate.sourceRegion === region && candidate.agentId === id)
      if (agent === undefined) { notFound(`Agent ${id}`); return }
      if (route.operation === 'GetAgentAlias') {
        const version = agent.aliases[second]
        if (version === undefined) { notFound(`Agent alias ${second}`); return }
        await exchange.sendJson(200, agentAliasAnswer(agent, second, version))
        return
      }
      const version = route.operation === 'GetAgent' ? 'DRAFT' : second
      const model = agent.models[version]
      if (model === undefined) { notFound(`Agent version ${version}`); return }
      await exchange.sendJson(200, agentVersionAnswer(agent, version, model))
      return
    }
    const flow = flows.find((candidate) => candidate.sourceRegion === region && candidate.flowId === id)
    if (flow === undefined) { notFound(`Flow ${id}`); return }
    if (route.operation === 'GetFlowAlias') {
      const version = flow.aliases[second]
      if (version === undefined) { notFound(`Flow alias ${second}`); return }
      await exchange.sendJson(200, flowAliasAnswer(flow, second, version))
      return
    }
    const version = route.operation === 'GetFlow' ? 'DRAFT' : second
    const models = flow.promptModels[version]
    if (models === undefined) { notFound(`Flow version ${version}`); return }
    if (route.query.get('includedData') !== 'ALL_DATA') {
      await exchange.sendJson(200, { ...(flowVersionAnswer(flow, version, models) as Record<string, unknown>), definition: undefined })
      return
    }
    await exchange.sendJson(200, flowVersionAnswer(flow, version, models))
  }

  const service = await startFakeServer({
    credentials: options.credentials ?? FAKE_UPSTREAM_CREDENTIALS,
    maxClockSkewMs: MAX_CLOCK_SKEW_MS,
    retainRequests: true,
    operationOf: (method, rawUrl) => agentControlPlaneRoute(method, rawUrl)?.operation,
    answer,
    onReset: () => { if (options.fault !== undefined) service.setFault(options.fault) }
  })
  if (options.fault !== undefined) service.setFault(options.fault)
  return {
    ...service,
    lookups: (operation) => service.requests.filter((record) => {
      const route = agentControlPlaneRoute(record.method, record.path)
      return route !== undefined && (operation === undefined || route.operation === operation)
    }).length
  }
}
