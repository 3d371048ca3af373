import t from 'tap'
import {
  ApplyGuardrailCommand, BedrockRuntimeClient, ConverseCommand, ConverseStreamCommand, CountTokensCommand, GetAsyncInvokeCommand,
  InvokeGuardrailChecksCommand, InvokeModelCommand, InvokeModelWithBidirectionalStreamCommand,
  InvokeModelWithResponseStreamCommand, ListAsyncInvokesCommand, StartAsyncInvokeCommand
} from '@aws-sdk/client-bedrock-runtime'
import type { HttpRequest } from '@smithy/protocol-http'
import { OPERATION_NAMES, RUNTIME_OPERATION_NAMES, type RuntimeOperationName } from '../../src/bedrock/operation-names.ts'
import type { IdentifierLocation } from '../../src/bedrock/identifier-types.ts'
import { IAM_ACTION, OPERATIONS } from '../../src/bedrock/operations.ts'
import { understandRequest } from '../../src/bedrock/request.ts'

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'

const PROFILE_ARN = 'arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-3-5-sonnet-20241022-v2:0'
const GUARDRAIL_ARN = 'arn:aws:bedrock:us-east-1:111122223333:guardrail/gr0abc123def'
const ASYNC_ARN = 'arn:aws:bedrock:us-east-1:111122223333:async-invoke/abcdef123456'

/** The real AWS SDK builds and signs each request; the handler keeps it instead of sending it anywhere. */
type SdkCall = (client: BedrockRuntimeClient) => Promise<unknown>

async function sdkRequest (call: SdkCall): Promise<HttpRequest> {
  let captured: HttpRequest | undefined
  const client = new BedrockRuntimeClient({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: HttpRequest) => {
        captured = request
        throw new Error('captured, not sent')
      }
    }
  })
  await call(client).catch(() => undefined)
  if (captured === undefined) throw new Error('the SDK built no request')
  return captured
}

function bodyText (request: HttpRequest): string {
  const body: unknown = request.body
  if (body === undefined) return ''
  return body instanceof Uint8Array ? new TextDecoder().decode(body) : String(body)
}

function headers (request: HttpRequest): Record<string, string> {
  return Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]))
}

const sdkCalls: Record<RuntimeOperationName, { call: SdkCall, ids: Partial<Record<IdentifierLocation, string>> }> = {
  InvokeModel: {
    call: async (client) => await client.send(new InvokeModelCommand({ modelId: 'anthropic.claude-v2:1', body: new Uint8Array([123, 125]), guardrailIdentifier: GUARDRAIL_ARN, guardrailVersion: '1' })),
    ids: { 'path.modelId': 'anthropic.claude-v2:1', 'header.x-amzn-bedrock-guardrailidentifier': GUARDRAIL_ARN }
  },
  InvokeModelWithResponseStream: {
    call: async (client) => await client.send(new InvokeModelWithResponseStreamCommand({ modelId: PROFILE_ARN, body: new Uint8Array([123, 125]) })),
    ids: { 'path.modelId': PROFILE_ARN }
  },
  Converse: {
    call: async (client) => await client.send(new ConverseCommand({ modelId: PROFILE_ARN, messages: [], guardrailConfig: { guardrailIdentifier: 'gr0abc123def', guardrailVersion: '1' } })),
    ids: { 'path.modelId': PROFILE_ARN, 'body.guardrailConfig.guardrailIdentifier': 'gr0abc123def' }
  },
  ConverseStream: {
    call: async (client) => await client.send(new ConverseStreamCommand({ modelId: 'us.amazon.nova-pro-v1:0', messages: [], guardrailConfig: { guardrailIdentifier: GUARDRAIL_ARN, guardrailVersion: 'DRAFT' } })),
    ids: { 'path.modelId': 'us.amazon.nova-pro-v1:0', 'body.guardrailConfig.guardrailIdentifier': GUARDRAIL_ARN }
  },
  CountTokens: {
    call: async (client) => await client.send(new CountTokensCommand({ modelId: 'anthropic.claude-3-5-haiku-20241022-v1:0', input: { converse: { messages: [] } } })),
    ids: { 'path.modelId': 'anthropic.claude-3-5-haiku-20241022-v1:0' }
  },
  InvokeModelWithBidirectionalStream: {
    call: async (client) => await client.send(new InvokeModelWithBidirectionalStreamCommand({ modelId: 'amazon.nova-sonic-v1:0', body: (async function * () {})() })),
    ids: { 'path.modelId': 'amazon.nova-sonic-v1:0' }
  },
  StartAsyncInvoke: {
    call: async (client) => await client.send(new StartAsyncInvokeCommand({ modelId: 'amazon.nova-reel-v1:0', modelInput: {}, outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://bucket/key' } } })),
    ids: { 'body.modelId': 'amazon.nova-reel-v1:0' }
  },
  GetAsyncInvoke: { call: async (client) => await client.send(new GetAsyncInvokeCommand({ invocationArn: ASYNC_ARN })), ids: { 'path.invocationArn': ASYNC_ARN } },
  ListAsyncInvokes: {
    call: async (client) => await client.send(new ListAsyncInvokesCommand({ maxResults: 5, submitTimeAfter: new Date('2026-01-01T00:00:00Z'), statusEquals: 'Completed', sortOrder: 'Descending' })),
    ids: {}
  },
  ApplyGuardrail: {
    call: async (client) => await client.send(new ApplyGuardrailCommand({ guardrailIdentifier: GUARDRAIL_ARN, guardrailVersion: 'DRAFT', source: 'INPUT', content: [] })),
    ids: { 'path.guardrailIdentifier': GUARDRAIL_ARN }
  },
  InvokeGuardrailChecks: { call: async (client) => await client.send(new InvokeGuardrailChecksCommand({ messages: [], checks: {} })), ids: {} }
}

for (const operation of RUNTIME_OPERATION_NAMES) {
  t.test(`${operation}: the request the AWS SDK sends is understood, and its path rebuilt exactly`, async (t) => {
    const { call, ids } = sdkCalls[operation]
    const sent = await sdkRequest(call)
    const query = new URLSearchParams(Object.entries(sent.query).map(([name, value]): [string, string] => [name, String(value)]))
    const target = query.size === 0 ? sent.path : `${sent.path}?${query.toString()}`
    const understood = understandRequest({ method: sent.method, target, headers: headers(sent), body: new TextEncoder().encode(bodyText(sent)) })
    if (!understood.ok) return t.fail(understood.decision.message)
    t.equal(understood.operation, operation)
    t.equal(understood.upstreamPath, sent.path, 'the upstream path is what the SDK itself would send')
    t.same(Object.fromEntries(understood.identifiers.map(({ location, id }) => [location, id.text])), ids)
    t.equal(OPERATIONS[operation].method, sent.method)
  })
}

t.test('ListAsyncInvokes: the upstream query holds the SDK\'s parameters, sorted and encoded', async (t) => {
  const sent = await sdkRequest(sdkCalls.ListAsyncInvokes.call)
  const understood = understandRequest({ method: 'GET', target: `/async-invoke?${new URLSearchParams(Object.entries(sent.query).map(([name, value]): [string, string] => [name, String(value)])).toString()}`, headers: {}, body: new Uint8Array() })
  t.ok(understood.ok)
  if (understood.ok) t.equal(understood.upstreamQuery, 'maxResults=5&sortOrder=Descending&statusEquals=Completed&submitTimeAfter=2026-01-01T00%3A00%3A00Z')
})

t.test('IAM actions follow the reference table', async (t) => {
  t.same(IAM_ACTION, {
    InvokeModel: 'bedrock:InvokeModel',
    InvokeModelWithResponseStream: 'bedrock:InvokeModelWithResponseStream',
    Converse: 'bedrock:InvokeModel',
    ConverseStream: 'bedrock:InvokeModelWithResponseStream',
    CountTokens: 'bedrock:CountTokens',
    InvokeModelWithBidirectionalStream: 'bedrock:InvokeModelWithBidirectionalStream',
    StartAsyncInvoke: 'bedrock:InvokeModel',
    GetAsyncInvoke: 'bedrock:GetAsyncInvoke',
    ListAsyncInvokes: 'bedrock:ListAsyncInvokes',
    ApplyGuardrail: 'bedrock:ApplyGuardrail',
    InvokeGuardrailChecks: 'bedrock:InvokeGuardrailChecks',
    OpenAIChatCompletions: 'bedrock:InvokeModel',
    OpenAIResponses: 'bedrock:InvokeModel',
    MantleChatCompletions: 'bedrock-mantle:CreateInference',
    MantleOpenAIChatCompletions: 'bedrock-mantle:CreateInference',
    MantleResponses: 'bedrock-mantle:CreateInference',
    MantleOpenAIResponses: 'bedrock-mantle:CreateInference',
    MantleMessages: 'bedrock-mantle:CreateInference',
    MantleCountTokens: 'bedrock-mantle:CountTokens',
    Rerank: 'bedrock:Rerank',
    Retrieve: 'bedrock:Retrieve',
    RetrieveAndGenerate: 'bedrock:RetrieveAndGenerate',
    RetrieveAndGenerateStream: 'bedrock:RetrieveAndGenerate',
    InvokeAgent: 'bedrock:InvokeAgent',
    InvokeInlineAgent: 'bedrock:InvokeInlineAgent',
    InvokeFlow: 'bedrock:InvokeFlow'
  })
})

t.test('exactly the event-stream operations stream their response', async (t) => {
  const streaming = OPERATION_NAMES.filter((name) => OPERATIONS[name].streamsResponse)
  t.same(streaming, ['InvokeModelWithResponseStream', 'ConverseStream', 'InvokeModelWithBidirectionalStream',
    'RetrieveAndGenerateStream', 'InvokeAgent', 'InvokeInlineAgent', 'InvokeFlow'])
})
