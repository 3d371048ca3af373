import type { IdentifierRead, IdentifierSources } from './identifier-readers.ts'
import type { AgentRuntimeResourceType, ResourceIdentifier } from './identifier-types.ts'
import { ARN_PREFIX_TEXT, parseArn } from './arn.ts'
import { parseGuardrailIdentifier } from './guardrail-id.ts'
import { singleHeaderValue } from './headers.ts'
import { checkModelIdText, parseModelId } from './model-id.ts'
import { quoteValue } from './quote-value.ts'

/*
 * Where bedrock-agent-runtime requests name models and resources (botocore bedrock-agent-runtime/2023-07-26). A body
 * location is its JSON path; `[]` after a key means every element of that list. What a location holds is told by
 * its last key: `modelArn` / `foundationModel` a model id or ARN, `knowledgeBaseId` a knowledge base id,
 * `agentAliasArn` an agent-alias ARN, `guardrailId` a plain guardrail id, `guardrailIdentifier` a guardrail id or ARN.
 */

const KB = 'body.retrieveAndGenerateConfiguration.knowledgeBaseConfiguration'
const EXTERNAL = 'body.retrieveAndGenerateConfiguration.externalSourcesConfiguration'

/** Body locations that are read the same way wherever they are: optional, by their last key. */
const OPTIONAL_BODY_LOCATIONS = [
  'body.retrievalConfiguration.vectorSearchConfiguration.rerankingConfiguration.bedrockRerankingConfiguration.modelConfiguration.modelArn',
  'body.retrievalConfiguration.vectorSearchConfiguration.implicitFilterConfiguration.modelArn',
  'body.retrievalConfiguration.managedSearchConfiguration.rerankingConfiguration.bedrockRerankingConfiguration.modelConfiguration.modelArn',
  'body.guardrailConfiguration.guardrailId',
  `${KB}.knowledgeBaseId`,
  `${KB}.retrievalConfiguration.vectorSearchConfiguration.rerankingConfiguration.bedrockRerankingConfiguration.modelConfiguration.modelArn`,
  `${KB}.retrievalConfiguration.vectorSearchConfiguration.implicitFilterConfiguration.modelArn`,
  `${KB}.retrievalConfiguration.managedSearchConfiguration.rerankingConfiguration.bedrockRerankingConfiguration.modelConfiguration.modelArn`,
  `${KB}.generationConfiguration.guardrailConfiguration.guardrailId`,
  `${EXTERNAL}.generationConfiguration.guardrailConfiguration.guardrailId`,
  'body.sessionState.knowledgeBaseConfigurations[].knowledgeBaseId',
  'body.sessionState.knowledgeBaseConfigurations[].retrievalConfiguration.vectorSearchConfiguration.rerankingConfiguration.bedrockRerankingConfiguration.modelConfiguration.modelArn',
  'body.sessionState.knowledgeBaseConfigurations[].retrievalConfiguration.vectorSearchConfiguration.implicitFilterConfiguration.modelArn',
  'body.sessionState.knowledgeBaseConfigurations[].retrievalConfiguration.managedSearchConfiguration.rerankingConfiguration.bedrockRerankingConfiguration.modelConfiguration.modelArn',
  'body.promptOverrideConfiguration.promptConfigurations[].foundationModel',
  'body.collaborators[].foundationModel',
  'body.collaborators[].promptOverrideConfiguration.promptConfigurations[].foundationModel',
  'body.collaboratorConfigurations[].agentAliasArn',
  'body.collaborators[].collaboratorConfigurations[].agentAliasArn',
  'body.knowledgeBases[].knowledgeBaseId',
  'body.knowledgeBases[].retrievalConfiguration.vectorSearchConfiguration.rerankingConfiguration.bedrockRerankingConfiguration.modelConfiguration.modelArn',
  'body.knowledgeBases[].retrievalConfiguration.vectorSearchConfiguration.implicitFilterConfiguration.modelArn',
  'body.knowledgeBases[].retrievalConfiguration.managedSearchConfiguration.rerankingConfiguration.bedrockRerankingConfiguration.modelConfiguration.modelArn',
  'body.collaborators[].knowledgeBases[].knowledgeBaseId',
  'body.collaborators[].knowledgeBases[].retrievalConfiguration.vectorSearchConfiguration.rerankingConfiguration.bedrockRerankingConfiguration.modelConfiguration.modelArn',
  'body.collaborators[].knowledgeBases[].retrievalConfiguration.vectorSearchConfiguration.implicitFilterConfiguration.modelArn',
  'body.collaborators[].knowledgeBases[].retrievalConfiguration.managedSearchConfiguration.rerankingConfiguration.bedrockRerankingConfiguration.modelConfiguration.modelArn',
  'body.guardrailConfiguration.guardrailIdentifier',
  'body.collaborators[].guardrailConfiguration.guardrailIdentifier'
] as const

type OptionalBodyLocation = (typeof OPTIONAL_BODY_LOCATIONS)[number]

const RERANK_MODEL = 'body.rerankingConfiguration.bedrockRerankingConfiguration.modelConfiguration.modelArn'
const KB_GENERATION_MODEL = `${KB}.modelArn` as const
const EXTERNAL_GENERATION_MODEL = `${EXTERNAL}.modelArn` as const

export type AgentRuntimeLocation =
  | OptionalBodyLocation
  | typeof RERANK_MODEL
  | typeof KB_GENERATION_MODEL
  | typeof EXTERNAL_GENERATION_MODEL
  | 'body.foundationModel'
  | 'path.knowledgeBaseId'
  | 'path.agentAliasId'
  | 'path.flowAliasIdentifier'
  | 'header.x-amz-source-arn'

type Reader = (sources: IdentifierSources) => IdentifierRead
type ValueReader = (text: string, sources: IdentifierSources) => IdentifierRead

const NOTHING_READ: IdentifierRead = { ok: true }
const ARRAY_MARK = '[]'
const SOURCE_ARN_HEADER = 'x-amz-source-arn'
/** Service model: KnowledgeBaseId (body) is up to ten letters and digits; the path's is exactly ten, or an ARN. */
const BODY_KNOWLEDGE_BASE_ID = /^[0-9a-zA-Z]{1,10}$/
const PATH_KNOWLEDGE_BASE_ID = /^[0-9a-zA-Z]{10}$/
/** Service model: GuardrailConfiguration.guardrailId is lower-case letters and digits, up to 64. */
const PLAIN_GUARDRAIL_ID = /^[a-z0-9]{1,64}$/
/** Service model: AgentId and AgentAliasId are up to ten letters and digits. */
export const AGENT_RESOURCE_ID = /^[0-9a-zA-Z]{1,10}$/
/** Service model: FlowIdentifier's id form is exactly ten; FlowAliasIdentifier's is letters and digits (`TSTALIASID`). */
const FLOW_ID = /^[0-9a-zA-Z]{10}$/
const FLOW_ALIAS_ID = /^[0-9a-zA-Z]{1,10}$/

/** Reads what the location's last key says it holds. */
const VALUE_READERS: Readonly<Record<string, ValueReader>> = {
  modelArn: modelId,
  foundationModel: modelId,
  knowledgeBaseId: (text) => BODY_KNOWLEDGE_BASE_ID.test(text)
    ? regionalId('knowledge-base', text)
    : malformed(`knowledge base id ${quoteValue(text)} is not up to ten letters and digits`),
  agentAliasArn: (text) => arnOfType(text, 'agent-alias'),
  guardrailId: (text) => PLAIN_GUARDRAIL_ID.test(text)
    ? { ok: true, id: { kind: 'guardrail-id', text } }
    : malformed(`guardrail id ${quoteValue(text)} is not lower-case letters and digits`),
  guardrailIdentifier: (text) => {
    const parsed = parseGuardrailIdentifier(text)
    return parsed.ok ? parsed : malformed(parsed.message)
  }
}

function optionalBodyReader (location: string): Reader {
  const path = location.split('.').slice(1)
  const read = VALUE_READERS[path.at(-1) ?? '']
  if (read === undefined) throw new Error(`no reader for ${location}`)
  return (sources) => readBodyPath(sources, path, read)
}

export const AGENT_RUNTIME_READERS: Readonly<Record<AgentRuntimeLocation, Reader>> = {
  ...Object.fromEntries(OPTIONAL_BODY_LOCATIONS.map((location) => [location, optionalBodyReader(location)])) as Record<OptionalBodyLocation, Reader>,
  [RERANK_MODEL]: (sources) => required(sources, RERANK_MODEL, optionalBodyReader(RERANK_MODEL)),
  'body.foundationModel': (sources) => required(sources, 'body.foundationModel', optionalBodyReader('body.foundationModel')),
  // RetrieveAndGenerate runs a generation model named in whichever configuration its `type` picks; one must be named.
  [KB_GENERATION_MODEL]: (sources) => {
    const read = optionalBodyReader(KB_GENERATION_MODEL)(sources)
    if (!read.ok || read.id !== undefined) return read
    const external = optionalBodyReader(EXTERNAL_GENERATION_MODEL)(sources)
    if (external.ok && external.id === undefined) return malformed('request body names no generation model (knowledgeBaseConfiguration.modelArn or externalSourcesConfiguration.modelArn)')
    return NOTHING_READ
  },
  [EXTERNAL_GENERATION_MODEL]: optionalBodyReader(EXTERNAL_GENERATION_MODEL),
  'path.knowledgeBaseId': (sources) => knowledgeBaseLabel(sources.labels.get('knowledgeBaseId') ?? ''),
  'path.agentAliasId': (sources) => {
    const agentId = sources.labels.get('agentId') ?? ''
    const aliasId = sources.labels.get('agentAliasId') ?? ''
    if (!AGENT_RESOURCE_ID.test(agentId)) return malformed(`agent id ${quoteValue(agentId)} is not up to ten letters and digits`)
    if (!AGENT_RESOURCE_ID.test(aliasId)) return malformed(`agent alias id ${quoteValue(aliasId)} is not up to ten letters and digits`)
    return regionalId('agent-alias', `${agentId}/${aliasId}`)
  },
  'path.flowAliasIdentifier': (sources) => flowAlias(sources.labels.get('flowIdentifier') ?? '', sources.labels.get('flowAliasIdentifier') ?? ''),
  'header.x-amz-source-arn': (sources) => {
    const header = singleHeaderValue(sources.headers, SOURCE_ARN_HEADER)
    if (!header.ok) return malformed(header.message)
    return header.value === undefined ? NOTHING_READ : arnOfType(header.value, 'agent')
  }
}

/**
 * What `explain --model` names for an agent-runtime operation, read like the request would be: the reranking,
 * generation or inline agent's model (undefined: read it as a model id), an agent alias (`AGENTID/ALIASID` or its
 * ARN), a flow alias (`FLOWID/ALIASID` or its ARN), a knowledge base (its id or ARN).
 */
export function agentRuntimeSubject (operation: string, text: string): { readonly location: AgentRuntimeLocation, readonly read: IdentifierRead } | undefined {
  switch (operation) {
    case 'Rerank': return undefined
    case 'InvokeAgent': {
      if (text.startsWith(ARN_PREFIX_TEXT)) return { location: 'path.agentAliasId', read: arnOfType(text, 'agent-alias') }
      const [agentId = '', aliasId = '', ...rest] = text.split('/')
      const valid = rest.length === 0 && AGENT_RESOURCE_ID.test(agentId) && AGENT_RESOURCE_ID.test(aliasId)
      return { location: 'path.agentAliasId', read: valid ? regionalId('agent-alias', `${agentId}/${aliasId}`) : malformed(`${quoteValue(text)} is neither AGENTID/ALIASID nor an agent alias ARN`) }
    }
    case 'InvokeFlow': {
      if (text.startsWith(ARN_PREFIX_TEXT)) {
        const parsed = parseArn(text)
        const flowId = parsed.ok ? parsed.arn.resourceId.split('/')[0] ?? '' : ''
        return { location: 'path.flowAliasIdentifier', read: flowAlias(flowId, text) }
      }
      const [flowId = '', aliasId = '', ...rest] = text.split('/')
      return { location: 'path.flowAliasIdentifier', read: rest.length === 0 ? flowAlias(flowId, aliasId) : malformed(`${quoteValue(text)} is neither FLOWID/ALIASID nor a flow alias ARN`) }
    }
    case 'Retrieve':
      return { location: 'path.knowledgeBaseId', read: knowledgeBaseLabel(text) }
    default:
      return undefined
  }
}

function knowledgeBaseLabel (text: string): IdentifierRead {
  if (text.startsWith(ARN_PREFIX_TEXT)) return arnOfType(text, 'knowledge-base')
  return PATH_KNOWLEDGE_BASE_ID.test(text)
    ? regionalId('knowledge-base', text)
    : malformed(`knowledge base id ${quoteValue(text)} is neither ten letters and digits nor a knowledge-base ARN`)
}

/**
 * A flow and its alias, each an id or an ARN. When either is an ARN, the alias is named by its full ARN (so the
 * engine checks its partition and region); both ARNs must name the same flow, account and region.
 */
export function flowAlias (flowText: string, aliasText: string): IdentifierRead {
  let flowId = flowText
  let flowArn: { partition: string, region: string, account: string } | undefined
  if (flowText.startsWith(ARN_PREFIX_TEXT)) {
    const parsed = parseArn(flowText)
    if (!parsed.ok) return malformed(parsed.message)
    if (parsed.arn.resourceType !== 'flow') return malformed(`flow identifier ${quoteValue(flowText)} is of resource type ${parsed.arn.resourceType}, not flow`)
    flowId = parsed.arn.resourceId
    flowArn = parsed.arn
  } else if (!FLOW_ID.test(flowText)) {
    return malformed(`flow identifier ${quoteValue(flowText)} is neither ten letters and digits nor a flow ARN`)
  }
  if (aliasText.startsWith(ARN_PREFIX_TEXT)) {
    const parsed = parseArn(aliasText)
    if (!parsed.ok) return malformed(parsed.message)
    const { arn } = parsed
    if (arn.resourceType !== 'flow-alias') return malformed(`flow alias identifier ${quoteValue(aliasText)} is not a flow alias ARN`)
    const sameFlow = arn.resourceId.startsWith(`${flowId}/`) &&
      (flowArn === undefined || (flowArn.partition === arn.partition && flowArn.region === arn.region && flowArn.account === arn.account))
    if (!sameFlow) return malformed(`flow alias ${quoteValue(aliasText)} does not belong to flow ${quoteValue(flowText)}`)
    return { ok: true, id: { kind: 'arn', text: aliasText, arn } }
  }
  if (!FLOW_ALIAS_ID.test(aliasText)) return malformed(`flow alias identifier ${quoteValue(aliasText)} is neither letters and digits nor a flow alias ARN`)
  const resourceId = `${flowId}/alias/${aliasText}`
  if (flowArn === undefined) return regionalId('flow-alias', resourceId)
  return arnOfType(`arn:${flowArn.partition}:bedrock:${flowArn.region}:${flowArn.account}:flow/${resourceId}`, 'flow-alias')
}

/** `knowledge-base/ID`, `agent-alias/AGENT/ALIAS`, `flow/FLOW/alias/ALIAS`: the resource part an ARN would have. */
export function regionalIdText (resourceType: AgentRuntimeResourceType, resourceId: string): string {
  return `${resourceType === 'flow-alias' ? 'flow' : resourceType}/${resourceId}`
}

function regionalId (resourceType: AgentRuntimeResourceType, resourceId: string): IdentifierRead {
  return { ok: true, id: { kind: 'regional-id', text: regionalIdText(resourceType, resourceId), resourceType, resourceId } }
}

function arnOfType (text: string, type: AgentRuntimeResourceType): IdentifierRead {
  const parsed = parseArn(text)
  if (!parsed.ok) return malformed(parsed.message)
  if (parsed.arn.resourceType !== type) return malformed(`ARN ${quoteValue(text)} is of resource type ${parsed.arn.resourceType}, not ${type}`)
  return { ok: true, id: { kind: 'arn', text, arn: parsed.arn } }
}

function modelId (text: string, sources: IdentifierSources): IdentifierRead {
  const checked = checkModelIdText(text, sources.spec.modelIdMaxLength)
  if (!checked.ok) return malformed(checked.message)
  const parsed = parseModelId(checked.text)
  return parsed.ok ? parsed : { ok: false, reason: parsed.reason, message: parsed.message }
}

function required (sources: IdentifierSources, location: string, read: Reader): IdentifierRead {
  const result = read(sources)
  if (result.ok && result.id === undefined && (result.ids === undefined || result.ids.length === 0)) {
    return malformed(`request body has no ${location.slice('body.'.length)}`)
  }
  return result
}

/**
 * Every string at a JSON path of the body, following each element of the lists marked `[]`. JSON null counts as
 * absent, as for the service; a value of the wrong kind along the way is refused, so no other parser can find an
 * identifier the gateway did not read.
 */
function readBodyPath (sources: IdentifierSources, path: readonly string[], read: ValueReader): IdentifierRead {
  const body = sources.body()
  if (!body.ok) return malformed(body.message)
  let values: unknown[] = [body.value]
  const where: string[] = []
  for (const step of path) {
    const isList = step.endsWith(ARRAY_MARK)
    const key = isList ? step.slice(0, -ARRAY_MARK.length) : step
    where.push(step)
    const next: unknown[] = []
    for (const value of values) {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return malformed(`request body member ${quoteValue(key)} is inside a non-object`)
      }
      const member = Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined
      if (member === undefined || member === null) continue
      if (!isList) { next.push(member); continue }
      if (!Array.isArray(member)) return malformed(`request body member ${where.join('.')} is not a list`)
      next.push(...member)
    }
    values = next
  }
  const ids: ResourceIdentifier[] = []
  for (const value of values) {
    if (typeof value !== 'string') return malformed(`request body member ${path.join('.')} is not a string`)
    const result = read(value, sources)
    if (!result.ok) return result
    if (result.id !== undefined) ids.push(result.id)
  }
  if (ids.length === 0) return NOTHING_READ
  return ids.length === 1 ? { ok: true, id: ids[0] } : { ok: true, ids }
}

function malformed (message: string): IdentifierRead {
  return { ok: false, reason: 'MALFORMED_REQUEST', message }
}
