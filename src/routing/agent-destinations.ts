import { ARN_PREFIX_TEXT, parseArn, parseModelId, quoteValue, RESOURCE_ROUTING } from '../bedrock/index.ts'
import { ControlPlaneError } from './control-plane-failure.ts'
import { resolveDestinations } from './resolve-destinations.ts'
import type { AgentControlPlaneClient, AgentReference, ControlPlaneClient, ControlPlaneOperation } from './types.ts'
import { ANY_REGION, type RoutedDestination, type VerifiedRouting } from '../policy/index.ts'

/** An agent alias inside a flow inside ... : AWS nests flows and agents only so deep, and a longer chain is a loop. */
const MAX_ALIAS_DEPTH = 3
const VIA_SEPARATOR = ' -> '
const AGENT_ALIAS_TEXT = 'agent-alias/'
const FLOW_TEXT = 'flow/'
const FLOW_ALIAS_MARK = '/alias/'

/** An agent or flow alias, where it lives, and how it is named to bedrock-agent. */
type Alias =
  | { readonly kind: 'agent'; readonly region: string; readonly agentId: string; readonly aliasId: string }
  | { readonly kind: 'flow'; readonly region: string; readonly flowId: string; readonly aliasId: string }

interface Context {
  readonly agentClient: AgentControlPlaneClient | undefined
  readonly client: ControlPlaneClient
  readonly root: string
  /** The aliases above this one, to refuse loops. */
  readonly chain: readonly string[]
}

/**
 * Whether an identifier the engine wants resolved is an agent or flow alias: its ARN, or the resource part a request
 * that named it by id alone was given (`agent-alias/AGENT/ALIAS`, `flow/FLOW/alias/ALIAS`).
 */
export function isAgentRoutedIdentifier (identifier: string): boolean {
  return aliasOf('', identifier) !== undefined
}

/**
 * Where an agent or flow alias, called in `region`, runs its models: the alias's versions (GetAgentAlias /
 * GetFlowAlias), each version's models (GetAgentVersion, GetAgent for DRAFT; GetFlowVersion, GetFlow for DRAFT), and
 * each model placed like a request's own: a foundation model in the alias's region, a profile or router as the
 * bedrock control plane reports it, an agent alias in a flow node followed in turn. Rejects with a ControlPlaneError,
 * also when there is no agents control plane to ask or an answer names something the gateway cannot place.
 */
export async function resolveAgentDestinations (agentClient: AgentControlPlaneClient | undefined, client: ControlPlaneClient,
  region: string, identifier: string): Promise<VerifiedRouting> {
  const alias = aliasOf(region, identifier)
  if (alias === undefined) throw new ControlPlaneError('malformed-answer', 'GetAgentAlias', `${quoteValue(identifier)} is neither an agent alias nor a flow alias`)
  const destinations = await aliasDestinations({ agentClient, client, root: identifier, chain: [] }, alias, [])
  const regions = [...new Set(destinations.map((destination) => destination.region))].sort()
  return { verified: true, regions, destinations }
}

function aliasOf (region: string, identifier: string): Alias | undefined {
  if (identifier.startsWith(ARN_PREFIX_TEXT)) {
    const parsed = parseArn(identifier)
    if (!parsed.ok) return undefined
    const { arn } = parsed
    if (arn.resourceType === 'agent-alias') return agentAlias(arn.region, arn.resourceId)
    if (arn.resourceType === 'flow-alias') return flowAlias(arn.region, arn.resourceId)
    return undefined
  }
  if (identifier.startsWith(AGENT_ALIAS_TEXT)) return agentAlias(region, identifier.slice(AGENT_ALIAS_TEXT.length))
  if (identifier.startsWith(FLOW_TEXT) && identifier.includes(FLOW_ALIAS_MARK)) return flowAlias(region, identifier.slice(FLOW_TEXT.length))
  return undefined
}

function agentAlias (region: string, resourceId: string): Alias | undefined {
  const [agentId, aliasId, ...rest] = resourceId.split('/')
  return agentId === undefined || aliasId === undefined || rest.length > 0 ? undefined : { kind: 'agent', region, agentId, aliasId }
}

function flowAlias (region: string, resourceId: string): Alias | undefined {
  const at = resourceId.indexOf(FLOW_ALIAS_MARK)
  return at === -1 ? undefined : { kind: 'flow', region, flowId: resourceId.slice(0, at), aliasId: resourceId.slice(at + FLOW_ALIAS_MARK.length) }
}

function aliasName (alias: Alias): string {
  return alias.kind === 'agent' ? `agent-alias/${alias.agentId}/${alias.aliasId}` : `flow/${alias.flowId}/alias/${alias.aliasId}`
}

async function aliasDestinations (context: Context, alias: Alias, via: readonly string[]): Promise<RoutedDestination[]> {
  const operation: ControlPlaneOperation = alias.kind === 'agent' ? 'GetAgentAlias' : 'GetFlowAlias'
  const key = `${alias.region} ${aliasName(alias)}`
  if (context.chain.includes(key)) {
    throw new ControlPlaneError('too-deep', operation, `the answers about ${quoteValue(context.root)} lead back to ${quoteValue(aliasName(alias))}`)
  }
  if (context.chain.length >= MAX_ALIAS_DEPTH) {
    throw new ControlPlaneError('too-deep', operation, `the answers about ${quoteValue(context.root)} nest more than ${MAX_ALIAS_DEPTH} agents or flows deep`)
  }
  const { agentClient } = context
  if (agentClient === undefined) {
    throw new ControlPlaneError('unreachable', operation, `${operation} ${quoteValue(aliasName(alias))} in ${alias.region}: no agents control plane is configured`)
  }
  const inner: Context = { ...context, chain: [...context.chain, key] }
  if (alias.kind === 'agent') {
    const routes = await agentClient.getAgentAlias(alias.region, alias.agentId, alias.aliasId)
    const nested = await Promise.all(routes.map(async (route) => {
      if (route.kind !== 'version') return await referenceDestinations(inner, alias.region, route, [...via, route.field], operation)
      const models = await agentClient.getAgentModels(alias.region, alias.agentId, route.value)
      const placed = await Promise.all(models.map(async (model) =>
        await referenceDestinations(inner, alias.region, model, [...via, route.field, model.field], 'GetAgentVersion')))
      return placed.flat()
    }))
    return nested.flat()
  }
  const versions = await agentClient.getFlowAlias(alias.region, alias.flowId, alias.aliasId)
  const nested = await Promise.all(versions.map(async (version) => {
    const references = await agentClient.getFlowReferences(alias.region, alias.flowId, version)
    const placed = await Promise.all(references.map(async (reference) =>
      await referenceDestinations(inner, alias.region, reference, [...via, `flowVersion ${version}`, reference.field], 'GetFlowVersion')))
    return placed.flat()
  }))
  return nested.flat()
}

/** One thing an agent or flow version names, placed: the regions its model can run in. */
async function referenceDestinations (context: Context, region: string, reference: AgentReference, via: readonly string[],
  answeredBy: ControlPlaneOperation): Promise<RoutedDestination[]> {
  const at = via.join(VIA_SEPARATOR)
  const cannotPlace = (what: string): ControlPlaneError =>
    new ControlPlaneError('malformed-answer', answeredBy, `${answeredBy} named ${what} at ${at}, which the gateway cannot place`)
  if (reference.kind === 'prompt') throw cannotPlace('a prompt resource')
  if (reference.kind === 'agent-alias') {
    const alias = aliasOf(region, reference.value)
    if (alias === undefined || !reference.value.startsWith(ARN_PREFIX_TEXT)) throw cannotPlace('an agent alias that is not an agent-alias ARN')
    return await aliasDestinations(context, alias, via)
  }
  const parsed = parseModelId(reference.value)
  if (!parsed.ok) throw cannotPlace(`a model (${parsed.message})`)
  const { id } = parsed
  if (id.kind === 'foundation-model') return [{ region, via: at }]
  if (id.kind === 'inference-profile') return prefixed(await resolveDestinations(context.client, region, id.text), at)
  if (id.kind !== 'arn') throw cannotPlace('a guardrail')
  const reach = RESOURCE_ROUTING[id.arn.resourceType]
  if (reach === 'single-region') return [{ region: id.arn.region === '' ? ANY_REGION : id.arn.region, via: at }]
  if (id.arn.resourceType === 'agent-alias') return await referenceDestinations(context, region, { ...reference, kind: 'agent-alias' }, via, answeredBy)
  if (reach === 'prefix-routed' || reach === 'resolved') return prefixed(await resolveDestinations(context.client, id.arn.region, id.text), at)
  throw cannotPlace(`a ${id.arn.resourceType}`)
}

function prefixed (routing: VerifiedRouting, via: string): RoutedDestination[] {
  return routing.destinations.map((destination) => ({ region: destination.region, via: destination.via === '' ? via : `${via}${VIA_SEPARATOR}${destination.via}` }))
}
