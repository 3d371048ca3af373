import t from 'tap'
import { FAKE_ACCOUNT_ID, foundationModelArn, rerankScore, retrievedPassage, systemProfile } from '../support/fake-bedrock/index.ts'
import { SIGV4_CLIENT, startGatewayHarness } from '../support/gateway-harness.ts'
import { inProcessLimitsYaml } from '../support/gateway-clients.ts'
import { CALL_TIMEOUT_SECONDS, CLIENT_FILE_TIMEOUT_MS, auditLines, clientEnv, errorOf, resultOf, runClientScript, type ClientCall } from './fixtures/client-scripts.ts'

t.setTimeout(CLIENT_FILE_TIMEOUT_MS)

// bedrock-agent-runtime through the gateway, driven by the real clients: LiteLLM (rerank, a knowledge-base vector
// store search, a bedrock/agent/ completion), all built from aws_bedrock_runtime_endpoint, and boto3's
// bedrock-agent-runtime client (RetrieveAndGenerate plain and streamed, InvokeFlow). Each allowed call gets what the
// fake answered; each refused one raises the client's permission error, and nothing reaches the fake.

const REGION = 'us-east-1'
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0'
const RERANK_MODEL = 'amazon.rerank-v1:0'
const KB_ID = 'KBID012345'
const AGENT_ID = 'AGENT01234'
const GLOBAL_AGENT_ID = 'AGENTGLOB1'
const UNKNOWN_AGENT_ID = 'AGENTNONE1'
const FLOW_ID = 'FLOW012345'
const GLOBAL_PROFILE = 'global.anthropic.claude-sonnet-4-20250514-v1:0'
const LITELLM_PERMISSION_DENIED = 'litellm.exceptions.PermissionDeniedError'
const BOTO3_ACCESS_DENIED = 'botocore.errorfactory.AccessDeniedException'

const harness = await startGatewayHarness(t, {
  extraYaml: inProcessLimitsYaml(),
  extraOperations: ['Rerank', 'Retrieve', 'RetrieveAndGenerate', 'RetrieveAndGenerateStream', 'InvokeAgent', 'InvokeFlow'],
  controlPlane: { inferenceProfiles: [systemProfile({ id: GLOBAL_PROFILE, sourceRegion: REGION, destinationRegions: [''] })] },
  agentControlPlane: {
    agents: [
      { sourceRegion: REGION, agentId: AGENT_ID, aliases: { ALIAS01234: '1' }, models: { 1: HAIKU } },
      { sourceRegion: REGION, agentId: GLOBAL_AGENT_ID, aliases: { ALIAS01234: '1' }, models: { 1: GLOBAL_PROFILE } }
    ],
    flows: [{ sourceRegion: REGION, flowId: FLOW_ID, aliases: { FALIAS0123: '1' }, promptModels: { 1: [HAIKU] } }]
  }
})

const litellmKeys = {
  aws_access_key_id: SIGV4_CLIENT.accessKeyId,
  aws_secret_access_key: SIGV4_CLIENT.secretAccessKey,
  aws_region_name: REGION,
  aws_bedrock_runtime_endpoint: harness.gateway.url
}
const rerank = (name: string, modelArn: string): ClientCall => ({
  name, call: 'rerank', kwargs: { model: `bedrock/${modelArn}`, query: `which one? (${name})`, documents: ['first', 'second'], ...litellmKeys }
})
const agentCompletion = (name: string, agentId: string): ClientCall => ({
  name, call: 'completion', kwargs: { model: `bedrock/agent/${agentId}/ALIAS01234`, messages: [{ role: 'user', content: `Hello (${name})` }], timeout: CALL_TIMEOUT_SECONDS, ...litellmKeys }
})

const LITELLM = {
  rerank: rerank('rerank', foundationModelArn(REGION, RERANK_MODEL)),
  rerankElsewhere: rerank('rerank with a model in us-west-2', foundationModelArn('us-west-2', RERANK_MODEL)),
  search: { name: 'knowledge base search', call: 'vector_store_search', kwargs: { vector_store_id: KB_ID, query: 'what is there?', custom_llm_provider: 'bedrock', ...litellmKeys } },
  agent: agentCompletion('agent completion', AGENT_ID),
  globalAgent: agentCompletion('agent running a global profile', GLOBAL_AGENT_ID),
  unknownAgent: agentCompletion('agent that cannot be resolved', UNKNOWN_AGENT_ID)
} as const

const boto3 = (name: string, operation: string, params: Record<string, unknown>): ClientCall =>
  ({ name, endpoint_url: harness.gateway.url, region: REGION, service: 'bedrock-agent-runtime', operation, params })
const ragParams = (name: string, modelArn: string): Record<string, unknown> => ({
  input: { text: `what is in it? (${name})` },
  retrieveAndGenerateConfiguration: { type: 'KNOWLEDGE_BASE', knowledgeBaseConfiguration: { knowledgeBaseId: KB_ID, modelArn } }
})

const BOTO3 = {
  rag: boto3('retrieve_and_generate', 'retrieve_and_generate', ragParams('retrieve_and_generate', foundationModelArn(REGION, HAIKU))),
  ragStream: boto3('retrieve_and_generate_stream', 'retrieve_and_generate_stream', ragParams('retrieve_and_generate_stream', HAIKU)),
  flow: boto3('invoke_flow', 'invoke_flow', { flowIdentifier: FLOW_ID, flowAliasIdentifier: 'FALIAS0123', inputs: [{ nodeName: 'FlowInputNode', nodeOutputName: 'document', content: { document: 'hi (invoke_flow)' } }] }),
  ragEu: boto3('retrieve_and_generate through an eu. profile', 'retrieve_and_generate',
    ragParams('eu', `arn:aws:bedrock:${REGION}:${FAKE_ACCOUNT_ID}:inference-profile/eu.${HAIKU}`))
} as const

const litellmRun = await runClientScript<Record<string, unknown>>('litellm_calls.py', Object.values(LITELLM), clientEnv())
const boto3Run = await runClientScript<Record<string, unknown>>('boto3_calls.py', Object.values(BOTO3), clientEnv())

const reached = (marker: string): number => harness.fake.requests.filter((request) => request.body.includes(marker)).length

t.test('litellm.rerank goes through the gateway to bedrock-agent-runtime and gets the fake\'s scores', async (t) => {
  const result = resultOf(litellmRun.outcomes, LITELLM.rerank.name) as { results: Array<{ index: number, relevance_score: number }> }
  t.match(result.results, [{ index: 0, relevance_score: rerankScore(0) }, { index: 1, relevance_score: rerankScore(1) }])
  const upstream = harness.fake.requests.find((request) => request.path === '/rerank' && request.body.includes(LITELLM.rerank.name))
  t.match(upstream?.signature, { ok: true, region: REGION })
})

t.test('litellm.rerank with a reranking model in another region raises PermissionDeniedError and reaches nothing', async (t) => {
  t.equal(errorOf(litellmRun.outcomes, LITELLM.rerankElsewhere.name).error_type, LITELLM_PERMISSION_DENIED)
  t.equal(reached(LITELLM.rerankElsewhere.name), 0)
  t.ok(auditLines(harness).some((line) => line.reason === 'ARN_REGION_MISMATCH'))
})

t.test('a LiteLLM vector store search over a Bedrock knowledge base goes through the gateway', async (t) => {
  t.same(resultOf(litellmRun.outcomes, LITELLM.search.name), { results: [{ score: 0.75, text: retrievedPassage(KB_ID) }] })
  t.equal(harness.fake.requests.filter((request) => request.path === `/knowledgebases/${KB_ID}/retrieve`).length, 1)
})

t.test('a bedrock/agent/ completion whose agent runs a foundation model here returns the agent\'s text', async (t) => {
  t.equal((resultOf(litellmRun.outcomes, LITELLM.agent.name) as { text: string }).text, harness.fake.replyText)
  t.equal(harness.fake.requests.filter((request) => request.path.startsWith(`/agents/${AGENT_ID}/agentAliases/ALIAS01234/sessions/`)).length, 1)
})

t.test('a bedrock/agent/ completion whose alias resolves to a global. profile raises PermissionDeniedError', async (t) => {
  t.equal(errorOf(litellmRun.outcomes, LITELLM.globalAgent.name).error_type, LITELLM_PERMISSION_DENIED)
  t.equal(reached(LITELLM.globalAgent.name), 0)
})

t.test('a bedrock/agent/ completion whose alias cannot be resolved raises PermissionDeniedError', async (t) => {
  const error = errorOf(litellmRun.outcomes, LITELLM.unknownAgent.name)
  t.equal(error.error_type, LITELLM_PERMISSION_DENIED)
  t.match(error.message, 'ROUTING_UNVERIFIED')
  t.equal(reached(LITELLM.unknownAgent.name), 0)
})

t.test('boto3 retrieve_and_generate returns the fake\'s answer', async (t) => {
  t.match(resultOf(boto3Run.outcomes, BOTO3.rag.name), { output: { text: harness.fake.replyText } })
})

t.test('boto3 retrieve_and_generate_stream reads the relayed event stream', async (t) => {
  t.match(resultOf(boto3Run.outcomes, BOTO3.ragStream.name), { stream: [{ output: { text: harness.fake.replyText } }, { citation: {} }] })
})

t.test('boto3 invoke_flow reads the flow\'s output and completion events', async (t) => {
  t.match(resultOf(boto3Run.outcomes, BOTO3.flow.name), {
    responseStream: [{ flowOutputEvent: { content: { document: harness.fake.replyText } } }, { flowCompletionEvent: { completionReason: 'SUCCESS' } }]
  })
})

t.test('boto3 retrieve_and_generate through an eu. profile raises AccessDeniedException and reaches nothing', async (t) => {
  const error = errorOf(boto3Run.outcomes, BOTO3.ragEu.name)
  t.equal(error.error_type, BOTO3_ACCESS_DENIED)
  t.equal(error.status_code, 403)
  t.equal(reached('what is in it? (eu)'), 0)
})
