import { arrayField, objectField, optionalStringField, stringField } from './control-plane-answers.ts'
import type { AgentReference } from './types.ts'

export interface ListPage {
  readonly items: ReadonlyArray<Record<string, unknown>>
  readonly nextToken?: string
}

/** One page of a List call: `member` is the list of summaries; `nextToken` continues it. */
export function parseListPage (json: unknown, member: string): ListPage {
  const record = objectField(json, 'answer')
  const items = record[member] === undefined ? [] : arrayField(record, member, 'answer').map((item, index) => objectField(item, `answer.${member}[${index}]`))
  const nextToken = optionalStringField(record, 'nextToken', 'answer')
  return nextToken === undefined ? { items } : { items, nextToken }
}

/*
 * Readers for the bedrock-agent answers (botocore bedrock-agent/2023-06-05) that say what an agent alias or a flow
 * alias runs. Each throws an Error naming the field, never quoting a value. Anything the gateway cannot place (a
 * supervisor agent's collaborators, a flow node of a kind it does not know) is refused here: fail closed.
 */

/** Flow node kinds that run no model (FlowNodeConfiguration); `prompt`, `knowledgeBase`, `agent` and `loop` are read. */
const MODEL_FREE_NODE_KINDS: ReadonlySet<string> = new Set([
  'input', 'output', 'condition', 'lex', 'lambdaFunction', 'storage', 'retrieval', 'iterator', 'collector', 'inlineCode',
  'loopInput', 'loopController'
])
const NO_COLLABORATION = 'DISABLED'

/** GetAgentAlias: `agentAlias.routingConfiguration[]`, each an agent version or a provisioned throughput. */
export function parseAgentAlias (json: unknown): AgentReference[] {
  const alias = objectField(objectField(json, 'answer').agentAlias, 'answer.agentAlias')
  const routes = arrayField(alias, 'routingConfiguration', 'answer.agentAlias')
  if (routes.length === 0) throw new Error('answer.agentAlias.routingConfiguration is empty')
  return routes.map((route, index): AgentReference => {
    const field = `routingConfiguration[${index}]`
    const record = objectField(route, `answer.agentAlias.${field}`)
    const provisioned = optionalStringField(record, 'provisionedThroughput', `answer.agentAlias.${field}`)
    if (provisioned !== undefined) return { kind: 'provisioned-throughput', value: provisioned, field: `${field}.provisionedThroughput` }
    return { kind: 'version', value: stringField(record, 'agentVersion', `answer.agentAlias.${field}`), field: `agentVersion ${String(record.agentVersion)}` }
  })
}

/** GetAgentVersion (`agentVersion`) or GetAgent (`agent`): the foundation model and every prompt override's model. */
export function parseAgentModels (json: unknown, member: 'agentVersion' | 'agent'): AgentReference[] {
  const where = `answer.${member}`
  const agent = objectField(objectField(json, 'answer')[member], where)
  const collaboration = optionalStringField(agent, 'agentCollaboration', where)
  if (collaboration !== undefined && collaboration !== NO_COLLABORATION) {
    throw new Error(`${where}.agentCollaboration is ${collaboration === 'SUPERVISOR' ? 'SUPERVISOR' : 'not DISABLED'}: its collaborators run models this answer does not name`)
  }
  const references: AgentReference[] = []
  const foundationModel = optionalStringField(agent, 'foundationModel', where)
  if (foundationModel !== undefined) references.push({ kind: 'model', value: foundationModel, field: 'foundationModel' })
  const override = agent.promptOverrideConfiguration
  if (override !== undefined && override !== null) {
    const configurations = arrayField(objectField(override, `${where}.promptOverrideConfiguration`), 'promptConfigurations', `${where}.promptOverrideConfiguration`)
    configurations.forEach((configuration, index) => {
      const field = `promptConfigurations[${index}]`
      const model = optionalStringField(objectField(configuration, `${where}.${field}`), 'foundationModel', `${where}.${field}`)
      if (model !== undefined) references.push({ kind: 'model', value: model, field: `${field}.foundationModel` })
    })
  }
  if (references.length === 0) throw new Error(`${where} names no foundationModel`)
  return references
}

/** GetFlowAlias: `routingConfiguration[].flowVersion`. */
export function parseFlowAlias (json: unknown): string[] {
  const record = objectField(json, 'answer')
  const routes = arrayField(record, 'routingConfiguration', 'answer')
  if (routes.length === 0) throw new Error('answer.routingConfiguration is empty')
  return routes.map((route, index) => stringField(objectField(route, `answer.routingConfiguration[${index}]`), 'flowVersion', `answer.routingConfiguration[${index}]`))
}

/** GetFlowVersion or GetFlow: every model, agent alias and prompt the definition's nodes name, loops included. */
export function parseFlowReferences (json: unknown): AgentReference[] {
  const record = objectField(json, 'answer')
  const definition = record.definition
  if (definition === undefined || definition === null) throw new Error('answer.definition is missing')
  const references: AgentReference[] = []
  definitionReferences(definition, 'definition', references)
  return references
}

function definitionReferences (definition: unknown, where: string, into: AgentReference[]): void {
  const nodes = arrayField(objectField(definition, where), 'nodes', where)
  nodes.forEach((node, index) => {
    const nodeWhere = `${where}.nodes[${index}]`
    const nodeRecord = objectField(node, nodeWhere)
    const configuration = nodeRecord.configuration
    if (configuration === undefined || configuration === null) return
    const kinds = Object.keys(objectField(configuration, `${nodeWhere}.configuration`))
    for (const kind of kinds) {
      const member = (configuration as Record<string, unknown>)[kind]
      const memberWhere = `${nodeWhere}.configuration.${kind}`
      if (MODEL_FREE_NODE_KINDS.has(kind)) continue
      if (kind === 'prompt') promptReferences(member, memberWhere, into)
      else if (kind === 'knowledgeBase') knowledgeBaseReferences(member, memberWhere, into)
      else if (kind === 'agent') into.push({ kind: 'agent-alias', value: stringField(objectField(member, memberWhere), 'agentAliasArn', memberWhere), field: `${memberWhere}.agentAliasArn` })
      else if (kind === 'loop') definitionReferences(objectField(member, memberWhere).definition, `${memberWhere}.definition`, into)
      else throw new Error(`${memberWhere} is a node kind the gateway cannot place`)
    }
  })
}

function promptReferences (member: unknown, where: string, into: AgentReference[]): void {
  const source = objectField(objectField(member, where).sourceConfiguration, `${where}.sourceConfiguration`)
  const inline = source.inline
  const resource = source.resource
  if (inline !== undefined && inline !== null) {
    into.push({ kind: 'model', value: stringField(objectField(inline, `${where}.sourceConfiguration.inline`), 'modelId', `${where}.sourceConfiguration.inline`), field: `${where}.sourceConfiguration.inline.modelId` })
  } else if (resource !== undefined && resource !== null) {
    into.push({ kind: 'prompt', value: stringField(objectField(resource, `${where}.sourceConfiguration.resource`), 'promptArn', `${where}.sourceConfiguration.resource`), field: `${where}.sourceConfiguration.resource.promptArn` })
  } else {
    throw new Error(`${where}.sourceConfiguration is neither inline nor a resource`)
  }
}

function knowledgeBaseReferences (member: unknown, where: string, into: AgentReference[]): void {
  const record = objectField(member, where)
  const model = optionalStringField(record, 'modelId', where)
  if (model !== undefined) into.push({ kind: 'model', value: model, field: `${where}.modelId` })
  const reranking = record.rerankingConfiguration
  if (reranking === undefined || reranking === null) return
  const bedrock = objectField(reranking, `${where}.rerankingConfiguration`).bedrockRerankingConfiguration
  if (bedrock === undefined || bedrock === null) return
  const modelConfiguration = objectField(objectField(bedrock, `${where}.rerankingConfiguration.bedrockRerankingConfiguration`).modelConfiguration, `${where}.rerankingConfiguration.bedrockRerankingConfiguration.modelConfiguration`)
  into.push({ kind: 'model', value: stringField(modelConfiguration, 'modelArn', `${where}.rerankingConfiguration`), field: `${where}.rerankingConfiguration.modelArn` })
}
