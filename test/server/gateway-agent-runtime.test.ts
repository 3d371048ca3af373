import t, { type Test } from 'tap'
import {
  FAKE_ACCOUNT_ID,
  FAKE_UPSTREAM_CREDENTIALS,
  decodeFrames,
  foundationModelArn,
  rerankScore,
  retrievedPassage,
  sendSigned,
  systemProfile,
  type RawResponse
} from '../support/fake-bedrock/index.ts'
import { assertBedrockError, inProcessLimitsYaml, leakedHeaders } from '../support/gateway-clients.ts'
import { SIGV4_CLIENT, startGatewayHarness, type GatewayHarness, type GatewayHarnessOptions } from '../support/gateway-harness.ts'

const REGION = 'us-east-1'
const RERANK_MODEL = 'amazon.rerank-v1:0'
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0'
const KB_ID = 'KBID012345'
const AGENT_ID = 'AGENT01234'
const GLOBAL_AGENT_ID = 'AGENTGLOB1'
const FLOW_ID = 'FLOW012345'
const GLOBAL_PROFILE = 'global.anthropic.claude-sonnet-4-20250514-v1:0'
const AGENT_RUNTIME_OPERATIONS = ['Rerank', 'Retrieve', 'RetrieveAndGenerate', 'RetrieveAndGenerateStream', 'InvokeAgent', 'InvokeInlineAgent', 'InvokeFlow']

const HARNESS: GatewayHarnessOptions = {
  extraYaml: inProcessLimitsYaml(),
  extraOperations: AGENT_RUNTIME_OPERATIONS,
  controlPlane: { inferenceProfiles: [systemProfile({ id: GLOBAL_PROFILE, sourceRegion: REGION, destinationRegions: [''] })] },
  agentControlPlane: {
    agents: [
      { sourceRegion: REGION, agentId: AGENT_ID, aliases: { ALIAS01234: '1', TSTALIASID: 'DRAFT' }, models: { 1: HAIKU, DRAFT: HAIKU } },
      { sourceRegion: REGION, agentId: GLOBAL_AGENT_ID, aliases: { ALIAS01234: '2' }, models: { 2: GLOBAL_PROFILE } }
    ],
    flows: [{ sourceRegion: REGION, flowId: FLOW_ID, aliases: { FALIAS0123: '3' }, promptModels: { 3: [HAIKU] } }]
  }
}

async function send (harness: GatewayHarness, path: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  return await sendSigned(harness.gateway.url, {
    method: 'POST',
    path,
    region: REGION,
    credentials: SIGV4_CLIENT,
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body)
  })
}

function assertForwarded (t: Test, harness: GatewayHarness, path: string): void {
  t.equal(harness.fake.requests.length, 1, 'one request reached Bedrock')
  const [record] = harness.fake.requests
  t.equal(record?.path, path)
  t.match(record?.signature, { ok: true, accessKeyId: FAKE_UPSTREAM_CREDENTIALS.accessKeyId, region: REGION }, 'signed with the gateway\'s own credentials')
  t.same(record === undefined ? [] : leakedHeaders(record), [])
}

function assertRefused (t: Test, harness: GatewayHarness, response: RawResponse, reason: RegExp): void {
  assertBedrockError(t, response, 403, 'AccessDeniedException')
  t.match(JSON.parse(response.body.toString('utf8')).message, reason)
  t.equal(harness.fake.requests.length, 0, 'nothing reached Bedrock')
}

const rerankBody = (modelArn: string): unknown => ({
  queries: [{ type: 'TEXT', textQuery: { text: 'which region?' } }],
  sources: [{ type: 'INLINE', inlineDocumentSource: { type: 'TEXT', textDocument: { text: 'a' } } }, { type: 'INLINE', inlineDocumentSource: { type: 'TEXT', textDocument: { text: 'b' } } }],
  rerankingConfiguration: { type: 'BEDROCK_RERANKING_MODEL', bedrockRerankingConfiguration: { modelConfiguration: { modelArn } } }
})

const ragBody = (modelArn: string): unknown => ({
  input: { text: 'what is in the knowledge base?' },
  retrieveAndGenerateConfiguration: { type: 'KNOWLEDGE_BASE', knowledgeBaseConfiguration: { knowledgeBaseId: KB_ID, modelArn } }
})

t.test('Rerank with a reranking model in the requested region is forwarded to bedrock-agent-runtime', async (t) => {
  const harness = await startGatewayHarness(t, HARNESS)
  const response = await send(harness, '/rerank', rerankBody(foundationModelArn(REGION, RERANK_MODEL)))
  t.equal(response.status, 200, response.body.toString('utf8'))
  t.same(JSON.parse(response.body.toString('utf8')).results, [{ index: 0, relevanceScore: rerankScore(0) }, { index: 1, relevanceScore: rerankScore(1) }])
  assertForwarded(t, harness, '/rerank')
})

t.test('Rerank with a reranking model ARN in another region is refused', async (t) => {
  const harness = await startGatewayHarness(t, HARNESS)
  const response = await send(harness, '/rerank', rerankBody(foundationModelArn('us-west-2', RERANK_MODEL)))
  assertRefused(t, harness, response, /ARN region us-west-2 is not the requested region us-east-1/)
})

t.test('Retrieve from a knowledge base named by id is forwarded', async (t) => {
  const harness = await startGatewayHarness(t, HARNESS)
  const response = await send(harness, `/knowledgebases/${KB_ID}/retrieve`, { retrievalQuery: { text: 'hello' } })
  t.equal(response.status, 200, response.body.toString('utf8'))
  t.equal(JSON.parse(response.body.toString('utf8')).retrievalResults[0].content.text, retrievedPassage(KB_ID))
  assertForwarded(t, harness, `/knowledgebases/${KB_ID}/retrieve`)
})

t.test('Retrieve from a knowledge base ARN in another region is refused', async (t) => {
  const harness = await startGatewayHarness(t, HARNESS)
  const arn = `arn:aws:bedrock:eu-west-1:${FAKE_ACCOUNT_ID}:knowledge-base/${KB_ID}`
  const response = await send(harness, `/knowledgebases/${encodeURIComponent(arn)}/retrieve`, { retrievalQuery: { text: 'hello' } })
  assertRefused(t, harness, response, /ARN region eu-west-1/)
})

t.test('RetrieveAndGenerate with a foundation model is forwarded', async (t) => {
  const harness = await startGatewayHarness(t, HARNESS)
  const response = await send(harness, '/retrieveAndGenerate', ragBody(foundationModelArn(REGION, HAIKU)))
  t.equal(response.status, 200, response.body.toString('utf8'))
  t.equal(JSON.parse(response.body.toString('utf8')).output.text, harness.fake.replyText)
  assertForwarded(t, harness, '/retrieveAndGenerate')
})

t.test('RetrieveAndGenerate whose modelArn names an eu. profile is refused', async (t) => {
  const harness = await startGatewayHarness(t, HARNESS)
  const response = await send(harness, '/retrieveAndGenerate', ragBody(`arn:aws:bedrock:${REGION}:${FAKE_ACCOUNT_ID}:inference-profile/eu.${HAIKU}`))
  assertRefused(t, harness, response, /inference-profile prefix "eu" is not in allow.inferenceProfilePrefixes/)
})

t.test('RetrieveAndGenerate with the generation model key repeated is refused as malformed', async (t) => {
  const harness = await startGatewayHarness(t, HARNESS)
  const body = `{"input":{"text":"q"},"retrieveAndGenerateConfiguration":{"type":"KNOWLEDGE_BASE","knowledgeBaseConfiguration":{"knowledgeBaseId":"${KB_ID}","modelArn":"${HAIKU}","modelArn":"eu.${HAIKU}"}}}`
  const response = await send(harness, '/retrieveAndGenerate', body)
  assertBedrockError(t, response, 400, 'ValidationException')
  t.equal(harness.fake.requests.length, 0)
})

t.test('RetrieveAndGenerateStream relays the event stream frame by frame', async (t) => {
  const harness = await startGatewayHarness(t, HARNESS)
  const response = await send(harness, '/retrieveAndGenerateStream', ragBody(HAIKU))
  t.equal(response.status, 200, response.body.toString('utf8'))
  t.equal(response.headers['x-amzn-bedrock-knowledge-base-session-id'], 'fake-session-0001')
  t.match(decodeFrames(response.body), [{ headers: { ':event-type': 'output' }, payload: { text: harness.fake.replyText } }, { headers: { ':event-type': 'citation' } }])
  assertForwarded(t, harness, '/retrieveAndGenerateStream')
})

t.test('InvokeAgent on an alias whose agent version runs a foundation model here is forwarded', async (t) => {
  const harness = await startGatewayHarness(t, HARNESS)
  const path = `/agents/${AGENT_ID}/agentAliases/ALIAS01234/sessions/session-1/text`
  const response = await send(harness, path, { inputText: 'hello' })
  t.equal(response.status, 200, response.body.toString('utf8'))
  t.match(decodeFrames(response.body), [{ headers: { ':event-type': 'chunk' }, payload: { bytes: Buffer.from(harness.fake.replyText).toString('base64') } }])
  assertForwarded(t, harness, path)
  t.equal(harness.agentControlPlane?.lookups('GetAgentAlias'), 1)
  t.equal(harness.agentControlPlane?.lookups('GetAgentVersion'), 1)
})

t.test('InvokeAgent on the test alias reads the DRAFT agent with GetAgent', async (t) => {
  const harness = await startGatewayHarness(t, HARNESS)
  const response = await send(harness, `/agents/${AGENT_ID}/agentAliases/TSTALIASID/sessions/session-1/text`, { inputText: 'hello' })
  t.equal(response.status, 200, response.body.toString('utf8'))
  t.equal(harness.agentControlPlane?.lookups('GetAgent'), 1)
})

t.test('a second InvokeAgent on the same alias is decided from the cache', async (t) => {
  const harness = await startGatewayHarness(t, HARNESS)
  const path = `/agents/${AGENT_ID}/agentAliases/ALIAS01234/sessions/session-1/text`
  t.equal((await send(harness, path, { inputText: 'one' })).status, 200)
  t.equal((await send(harness, path, { inputText: 'two' })).status, 200)
  t.equal(harness.agentControlPlane?.lookups('GetAgentAlias'), 1)
})

t.test('InvokeAgent on an alias whose agent runs a global. profile is refused', async (t) => {
  const harness = await startGatewayHarness(t, HARNESS)
  const response = await send(harness, `/agents/${GLOBAL_AGENT_ID}/agentAliases/ALIAS01234/sessions/session-1/text`, { inputText: 'hello' })
  assertRefused(t, harness, response, /agent alias can run in any region/)
})

t.test('InvokeAgent on an alias the control plane cannot resolve is refused as unverified', async (t) => {
  const harness = await startGatewayHarness(t, HARNESS)
  const response = await send(harness, '/agents/AGENTNONE1/agentAliases/ALIAS01234/sessions/session-1/text', { inputText: 'hello' })
  assertRefused(t, harness, response, /could not be verified: GetAgentAlias/)
})

t.test('InvokeAgent on an alias listed in allow.agentAliases is forwarded without a lookup', async (t) => {
  const listed = `arn:aws:bedrock:${REGION}:${FAKE_ACCOUNT_ID}:agent-alias/AGENTLIST1/ALIAS01234`
  const harness = await startGatewayHarness(t, { ...HARNESS, extraAllowYaml: `agentAliases: ["${listed}"]` })
  const path = '/agents/AGENTLIST1/agentAliases/ALIAS01234/sessions/session-1/text'
  const response = await send(harness, path, { inputText: 'hello' })
  t.equal(response.status, 200, response.body.toString('utf8'))
  assertForwarded(t, harness, path)
  t.equal(harness.agentControlPlane?.lookups(), 0)
})

t.test('InvokeAgent on an alias allow.agentAliases does not list is refused', async (t) => {
  const listed = `arn:aws:bedrock:${REGION}:${FAKE_ACCOUNT_ID}:agent-alias/AGENTLIST1/ALIAS01234`
  const harness = await startGatewayHarness(t, { ...HARNESS, extraAllowYaml: `agentAliases: ["${listed}"]` })
  const response = await send(harness, `/agents/${AGENT_ID}/agentAliases/ALIAS01234/sessions/session-1/text`, { inputText: 'hello' })
  assertRefused(t, harness, response, /allow.agentAliases does not list this one in us-east-1/)
})

t.test('InvokeFlow on an alias whose prompt nodes run a foundation model here is forwarded', async (t) => {
  const harness = await startGatewayHarness(t, HARNESS)
  const path = `/flows/${FLOW_ID}/aliases/FALIAS0123`
  const response = await send(harness, path, { inputs: [{ nodeName: 'FlowInputNode', nodeOutputName: 'document', content: { document: 'hi' } }] })
  t.equal(response.status, 200, response.body.toString('utf8'))
  t.match(decodeFrames(response.body), [{ headers: { ':event-type': 'flowOutputEvent' } }, { headers: { ':event-type': 'flowCompletionEvent' } }])
  assertForwarded(t, harness, path)
  t.equal(harness.agentControlPlane?.lookups('GetFlowVersion'), 1)
})

t.test('InvokeFlow on a flow alias ARN in another region is refused before any lookup', async (t) => {
  const harness = await startGatewayHarness(t, HARNESS)
  const aliasArn = `arn:aws:bedrock:eu-west-1:${FAKE_ACCOUNT_ID}:flow/${FLOW_ID}/alias/FALIAS0123`
  const response = await send(harness, `/flows/${FLOW_ID}/aliases/${encodeURIComponent(aliasArn)}`, { inputs: [] })
  assertRefused(t, harness, response, /ARN region eu-west-1/)
  t.equal(harness.agentControlPlane?.lookups(), 0)
})

t.test('InvokeInlineAgent with a collaborator model in another region is refused', async (t) => {
  const harness = await startGatewayHarness(t, HARNESS)
  const response = await send(harness, '/agents/session-1', {
    foundationModel: HAIKU,
    instruction: 'You are a helpful agent that answers questions.',
    collaborators: [{ foundationModel: foundationModelArn('eu-west-1', HAIKU), instruction: 'You are a helpful collaborator agent.' }]
  })
  assertRefused(t, harness, response, /body.collaborators\[\].foundationModel .*ARN region eu-west-1/)
})

t.test('an agent-runtime operation not in allow.operations is refused', async (t) => {
  const harness = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
  const response = await send(harness, '/rerank', rerankBody(foundationModelArn(REGION, RERANK_MODEL)))
  assertRefused(t, harness, response, /operation Rerank is not in allow.operations/)
})

t.test('an agent-runtime operation the gateway does not fence stays unknown', async (t) => {
  const harness = await startGatewayHarness(t, HARNESS)
  const response = await send(harness, '/generateQuery', { queryGenerationInput: { text: 'q', type: 'TEXT' } })
  assertBedrockError(t, response, 404, 'UnknownOperationException')
  t.equal(harness.fake.requests.length, 0)
})
