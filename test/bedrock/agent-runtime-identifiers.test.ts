import t from 'tap'
import { flowAlias } from '../../src/bedrock/agent-runtime-identifiers.ts'
import { understandRequest } from '../../src/bedrock/request.ts'

const ACCOUNT = '111122223333'
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0'

function understand (target: string, body: unknown, headers: Record<string, string> = {}): ReturnType<typeof understandRequest> {
  return understandRequest({ method: 'POST', target, headers, body: new TextEncoder().encode(typeof body === 'string' ? body : JSON.stringify(body)) })
}

function identifiers (target: string, body: unknown, headers: Record<string, string> = {}): Array<[string, string]> {
  const understood = understand(target, body, headers)
  if (!understood.ok) throw new Error(understood.decision.message)
  return understood.identifiers.map(({ location, id }) => [location, id.text])
}

function refusal (target: string, body: unknown): string {
  const understood = understand(target, body)
  return understood.ok ? 'understood' : `${understood.decision.reason}: ${understood.decision.message}`
}

t.test('Rerank reads the reranking model and is a bedrock-agent-runtime operation', async (t) => {
  const understood = understand('/rerank', { rerankingConfiguration: { bedrockRerankingConfiguration: { modelConfiguration: { modelArn: 'amazon.rerank-v1:0' } } } })
  t.match(understood, { ok: true, operation: 'Rerank', api: 'bedrock-agent-runtime', upstreamPath: '/rerank' })
})

t.test('Rerank without a reranking model is malformed', async (t) => {
  t.match(refusal('/rerank', { queries: [] }), /^MALFORMED_REQUEST: .*has no rerankingConfiguration/)
})

t.test('Retrieve names its knowledge base by id as a regional id', async (t) => {
  t.same(identifiers('/knowledgebases/KB01234567/retrieve', { retrievalQuery: { text: 'q' } }), [['path.knowledgeBaseId', 'knowledge-base/KB01234567']])
})

t.test('Retrieve reads the reranking model of a vector search', async (t) => {
  const body = { retrievalConfiguration: { vectorSearchConfiguration: { rerankingConfiguration: { bedrockRerankingConfiguration: { modelConfiguration: { modelArn: `arn:aws:bedrock:us-west-2::foundation-model/${HAIKU}` } } } } } }
  t.same(identifiers('/knowledgebases/KB01234567/retrieve', body)[1],
    ['body.retrievalConfiguration.vectorSearchConfiguration.rerankingConfiguration.bedrockRerankingConfiguration.modelConfiguration.modelArn', `arn:aws:bedrock:us-west-2::foundation-model/${HAIKU}`])
})

t.test('a knowledge base id that is not ten letters and digits is malformed', async (t) => {
  t.match(refusal('/knowledgebases/short/retrieve', {}), /^MALFORMED_REQUEST/)
})

t.test('RetrieveAndGenerate needs a generation model in one of its configurations', async (t) => {
  t.match(refusal('/retrieveAndGenerate', { input: { text: 'q' }, retrieveAndGenerateConfiguration: { type: 'KNOWLEDGE_BASE' } }), /names no generation model/)
})

t.test('RetrieveAndGenerate over external sources reads their model', async (t) => {
  t.same(identifiers('/retrieveAndGenerate', { retrieveAndGenerateConfiguration: { type: 'EXTERNAL_SOURCES', externalSourcesConfiguration: { modelArn: `us.${HAIKU}`, sources: [] } } }),
    [['body.retrieveAndGenerateConfiguration.externalSourcesConfiguration.modelArn', `us.${HAIKU}`]])
})

t.test('a model id that is not a string is malformed', async (t) => {
  t.match(refusal('/retrieveAndGenerate', { retrieveAndGenerateConfiguration: { knowledgeBaseConfiguration: { knowledgeBaseId: 'KB', modelArn: 7 } } }), /is not a string/)
})

t.test('InvokeInlineAgent reads every collaborator\'s model and knowledge base', async (t) => {
  const body = {
    foundationModel: HAIKU,
    collaborators: [
      { foundationModel: `us.${HAIKU}`, knowledgeBases: [{ knowledgeBaseId: 'KBA' }, { knowledgeBaseId: 'KBB' }] },
      { foundationModel: `eu.${HAIKU}` }
    ]
  }
  t.same(identifiers('/agents/session-1', body), [
    ['body.foundationModel', HAIKU],
    ['body.collaborators[].foundationModel', `us.${HAIKU}`],
    ['body.collaborators[].foundationModel', `eu.${HAIKU}`],
    ['body.collaborators[].knowledgeBases[].knowledgeBaseId', 'knowledge-base/KBA'],
    ['body.collaborators[].knowledgeBases[].knowledgeBaseId', 'knowledge-base/KBB']
  ])
})

t.test('InvokeInlineAgent with collaborators that is not a list is malformed', async (t) => {
  t.match(refusal('/agents/session-1', { foundationModel: HAIKU, collaborators: { foundationModel: HAIKU } }), /collaborators\[\] is not a list/)
})

t.test('InvokeInlineAgent with a null collaborator is malformed', async (t) => {
  t.match(refusal('/agents/session-1', { foundationModel: HAIKU, collaborators: [null] }), /inside a non-object/)
})

t.test('InvokeInlineAgent with a collaborator\'s model key repeated is malformed', async (t) => {
  t.match(refusal('/agents/session-1', `{"foundationModel":"${HAIKU}","collaborators":[{"foundationModel":"${HAIKU}","foundationModel":"eu.${HAIKU}"}]}`), /"foundationModel" is repeated/)
})

t.test('InvokeInlineAgent reads a collaborator agent alias ARN', async (t) => {
  const arn = `arn:aws:bedrock:us-east-1:${ACCOUNT}:agent-alias/AGENT01234/ALIAS01234`
  t.same(identifiers('/agents/session-1', { foundationModel: HAIKU, collaboratorConfigurations: [{ agentAliasArn: arn }] })[1], ['body.collaboratorConfigurations[].agentAliasArn', arn])
})

t.test('InvokeAgent names its agent alias from both path labels', async (t) => {
  t.same(identifiers('/agents/AGENT01234/agentAliases/TSTALIASID/sessions/s-1/text', {}), [['path.agentAliasId', 'agent-alias/AGENT01234/TSTALIASID']])
})

t.test('InvokeAgent reads the source agent ARN header', async (t) => {
  const arn = `arn:aws:bedrock:eu-west-1:${ACCOUNT}:agent/AGENT01234`
  t.same(identifiers('/agents/AGENT01234/agentAliases/ALIAS01234/sessions/s-1/text', {}, { 'x-amz-source-arn': arn })[1], ['header.x-amz-source-arn', arn])
})

t.test('InvokeAgent with a session id holding a character the service model refuses is malformed', async (t) => {
  t.match(refusal('/agents/AGENT01234/agentAliases/ALIAS01234/sessions/s%20x/text', {}), /session id/)
})

t.test('a flow and alias named by id are a regional flow alias', async (t) => {
  t.match(flowAlias('FLOW012345', 'TSTALIASID'), { ok: true, id: { kind: 'regional-id', resourceType: 'flow-alias', text: 'flow/FLOW012345/alias/TSTALIASID' } })
})

t.test('a flow ARN with an alias id is named by the alias ARN it implies', async (t) => {
  t.match(flowAlias(`arn:aws:bedrock:eu-west-1:${ACCOUNT}:flow/FLOW012345`, 'ALIAS01234'),
    { ok: true, id: { kind: 'arn', text: `arn:aws:bedrock:eu-west-1:${ACCOUNT}:flow/FLOW012345/alias/ALIAS01234`, arn: { resourceType: 'flow-alias', region: 'eu-west-1' } } })
})

t.test('a flow alias ARN of another flow is malformed', async (t) => {
  t.match(flowAlias('FLOW012345', `arn:aws:bedrock:us-east-1:${ACCOUNT}:flow/FLOW999999/alias/ALIAS01234`), { ok: false, reason: 'MALFORMED_REQUEST' })
})

t.test('a flow ARN and a flow alias ARN in different regions are malformed', async (t) => {
  t.match(flowAlias(`arn:aws:bedrock:us-east-1:${ACCOUNT}:flow/FLOW012345`, `arn:aws:bedrock:eu-west-1:${ACCOUNT}:flow/FLOW012345/alias/ALIAS01234`),
    { ok: false, reason: 'MALFORMED_REQUEST' })
})

t.test('agent-runtime operations the gateway does not fence stay unknown', async (t) => {
  for (const target of ['/generateQuery', '/agenticRetrieveStream', '/flows/FLOW012345/aliases/ALIAS01234/executions']) {
    t.match(refusal(target, {}), /^UNKNOWN_OPERATION/, target)
  }
})
