import t from 'tap'
import {
  FAKE_ACCOUNT_ID,
  countInputTokens,
  countOutputTokens,
  fakeEmbedding,
  replyDeltas,
  type RecordedRequest
} from '../support/fake-bedrock/index.ts'
import { SIGV4_CLIENT, startGatewayHarness } from '../support/gateway-harness.ts'
import {
  CALL_TIMEOUT_SECONDS,
  CLIENT_FILE_TIMEOUT_MS,
  auditLines,
  resultOf,
  runClientScript,
  upstreamModelPath,
  upstreamRequestWith,
  type ClientCall
} from './fixtures/client-scripts.ts'

t.setTimeout(CLIENT_FILE_TIMEOUT_MS)

// the LiteLLM SDK with the gateway-issued SigV4 key pair, every route LiteLLM has for
// Bedrock, through a us. profile and a foundation model, from two allowed regions; one Python run for all of it.

const REGIONS = ['us-east-1', 'us-west-2'] as const
const CHAT_MODELS = {
  'us. profile': 'us.anthropic.claude-3-5-sonnet-20241022-v2:0',
  'foundation model': 'anthropic.claude-3-haiku-20240307-v1:0'
} as const
/** LiteLLM's model prefix picks the route; the path is what Bedrock receives for it. */
const CHAT_ROUTES = [
  { route: 'Converse', modelPrefix: 'bedrock/', stream: false, operation: 'Converse', path: 'converse' },
  { route: 'ConverseStream', modelPrefix: 'bedrock/', stream: true, operation: 'ConverseStream', path: 'converse-stream' },
  { route: 'invoke', modelPrefix: 'bedrock/invoke/', stream: false, operation: 'InvokeModel', path: 'invoke' },
  {
    route: 'invoke, streaming',
    modelPrefix: 'bedrock/invoke/',
    stream: true,
    operation: 'InvokeModelWithResponseStream',
    path: 'invoke-with-response-stream'
  }
] as const
const TITAN_EMBED = 'amazon.titan-embed-text-v2:0'
const TITAN_DIMENSIONS = 256
const COHERE_EMBED_DIMENSIONS = 1024
const EMBEDDINGS = [
  { model: TITAN_EMBED, region: 'us-east-1' },
  { model: TITAN_EMBED, region: 'us-west-2' },
  { model: 'cohere.embed-english-v3', region: 'us-east-1' },
  { model: 'us.cohere.embed-v4:0', region: 'us-west-2' }
] as const
const PROFILE_ARN = `arn:aws:bedrock:us-east-1:${FAKE_ACCOUNT_ID}:inference-profile/${CHAT_MODELS['us. profile']}`
const FOUNDATION_MODEL_ARN = `arn:aws:bedrock:us-west-2::foundation-model/${CHAT_MODELS['foundation model']}`

interface CompletionResult {
  text: string
  finish_reason: string
  deltas?: number
  usage: { prompt_tokens: number, completion_tokens: number, total_tokens: number } | null
}

interface EmbeddingResult {
  vectors: number[][]
  usage: { prompt_tokens: number } | null
}

/** Written into the prompt (or embedded text), so the request that reached the fake can be found by its body. */
const marker = (name: string): string => `[call ${name}]`

const gatewayCredentials = { aws_access_key_id: SIGV4_CLIENT.accessKeyId, aws_secret_access_key: SIGV4_CLIENT.secretAccessKey }

const harness = await startGatewayHarness(t)
const endpoint = { aws_bedrock_runtime_endpoint: harness.gateway.url }

function completionCall (name: string, kwargs: Record<string, unknown>): ClientCall {
  return {
    name,
    call: 'completion',
    kwargs: {
      messages: [{ role: 'user', content: `Please answer ${marker(name)}` }],
      ...endpoint,
      ...gatewayCredentials,
      timeout: CALL_TIMEOUT_SECONDS,
      ...(kwargs.stream === true ? { stream_options: { include_usage: true } } : {}),
      ...kwargs
    }
  }
}

const chatCases = REGIONS.flatMap((region) => Object.entries(CHAT_MODELS).flatMap(([kind, modelId]) =>
  CHAT_ROUTES.map((route) => ({ name: `${route.route} ${kind} ${region}`, region, modelId, ...route }))))

const arnCases = [
  {
    name: 'Converse with an inference-profile ARN as model_id',
    modelId: PROFILE_ARN,
    region: 'us-east-1',
    operation: 'Converse',
    path: 'converse',
    kwargs: { model: `bedrock/${CHAT_MODELS['us. profile']}`, model_id: PROFILE_ARN, aws_region_name: 'us-east-1' }
  },
  {
    // No aws_region_name: LiteLLM signs for the ARN's region.
    name: 'invoke with a foundation-model ARN as model_id',
    modelId: FOUNDATION_MODEL_ARN,
    region: 'us-west-2',
    operation: 'InvokeModel',
    path: 'invoke',
    kwargs: { model: `bedrock/invoke/${CHAT_MODELS['foundation model']}`, model_id: FOUNDATION_MODEL_ARN }
  }
] as const

const embeddingCases = EMBEDDINGS.map((embedding) => ({ name: `embedding ${embedding.model} ${embedding.region}`, ...embedding }))

const calls: ClientCall[] = [
  ...chatCases.map((chat) => completionCall(chat.name, {
    model: `${chat.modelPrefix}${chat.modelId}`,
    aws_region_name: chat.region,
    stream: chat.stream
  })),
  ...arnCases.map((arn) => completionCall(arn.name, arn.kwargs)),
  ...embeddingCases.map(({ name, model, region }) => ({
    name,
    call: 'embedding',
    kwargs: {
      model: `bedrock/${model}`,
      input: [marker(name)],
      aws_region_name: region,
      ...(model === TITAN_EMBED ? { dimensions: TITAN_DIMENSIONS } : {}),
      ...endpoint,
      ...gatewayCredentials,
      timeout: CALL_TIMEOUT_SECONDS
    }
  }))
]

const { outcomes } = await runClientScript<CompletionResult & EmbeddingResult>('litellm_calls.py', calls)

/** The text and usage a client must report for `upstream`: derived from what the fake received and sent. */
function expectedUsage (upstream: RecordedRequest): { prompt_tokens: number, completion_tokens: number, total_tokens: number } {
  const promptTokens = countInputTokens(upstream.body)
  const completionTokens = countOutputTokens(upstream.response?.text ?? '')
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens }
}

t.test('every call reached Bedrock exactly once, each one allowed by the gateway', async (t) => {
  t.equal(harness.fake.requests.length, calls.length)
  const lines = auditLines(harness)
  t.equal(lines.length, calls.length)
  t.same(lines.filter((line) => line.decision !== 'allowed'), [])
  t.ok(lines.every((line) => line.client === SIGV4_CLIENT.name), 'every request authenticated as the issued key pair')
})

for (const chat of chatCases) {
  t.test(`${chat.name}: LiteLLM returns the fake's text and token usage`, async (t) => {
    const result = resultOf(outcomes, chat.name)
    const upstream = upstreamRequestWith(harness.fake.requests, marker(chat.name))
    t.equal(upstream.operation, chat.operation)
    t.equal(upstream.path, upstreamModelPath(chat.modelId, chat.path))
    t.equal(upstream.region, chat.region, 'signed upstream for the region LiteLLM asked for')
    t.equal(upstream.signature?.ok, true, 're-signed with the gateway credentials')
    t.equal(upstream.response?.status, 200)
    t.equal(result.text, upstream.response?.text)
    t.same(result.usage, expectedUsage(upstream))
    t.equal(result.finish_reason, 'stop')
    if (chat.stream) t.equal(result.deltas, replyDeltas(upstream.response?.text ?? '').length, 'one chunk per delta the fake streamed')
  })
}

for (const arn of arnCases) {
  t.test(`${arn.name}: the ARN reaches Bedrock in the path, signed for its region`, async (t) => {
    const result = resultOf(outcomes, arn.name)
    const upstream = upstreamRequestWith(harness.fake.requests, marker(arn.name))
    t.equal(upstream.operation, arn.operation)
    t.equal(upstream.path, upstreamModelPath(arn.modelId, arn.path))
    t.equal(upstream.region, arn.region)
    t.equal(result.text, upstream.response?.text)
    t.same(result.usage, expectedUsage(upstream))
  })
}

for (const embedding of embeddingCases) {
  t.test(`${embedding.name}: LiteLLM returns the vectors the fake computed`, async (t) => {
    const result = resultOf(outcomes, embedding.name)
    const upstream = upstreamRequestWith(harness.fake.requests, marker(embedding.name))
    t.equal(upstream.operation, 'InvokeModel')
    t.equal(upstream.path, upstreamModelPath(embedding.model, 'invoke'))
    t.equal(upstream.region, embedding.region)
    const dimensions = embedding.model === TITAN_EMBED ? TITAN_DIMENSIONS : COHERE_EMBED_DIMENSIONS
    t.same(result.vectors, [fakeEmbedding(marker(embedding.name), dimensions)])
    // Titan reports its input tokens in the body; LiteLLM counts Cohere's itself, so only Titan's can be compared.
    if (embedding.model === TITAN_EMBED) t.equal(result.usage?.prompt_tokens, countInputTokens(upstream.body))
  })
}
