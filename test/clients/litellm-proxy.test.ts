import t from 'tap'
import {
  countInputTokens,
  countOutputTokens,
  countedPayload,
  fakeEmbedding,
  replyDeltas,
  type RecordedRequest
} from '../support/fake-bedrock/index.ts'
import { SIGV4_CLIENT, startGatewayHarness } from '../support/gateway-harness.ts'
import { pythonEnv } from '../support/python-env.ts'
import {
  CALL_TIMEOUT_SECONDS,
  CLIENT_FILE_TIMEOUT_MS,
  auditLines,
  errorOf,
  resultOf,
  runClientScript,
  upstreamModelPath,
  upstreamRequestWith,
  type ClientCall
} from './fixtures/client-scripts.ts'
import { LITELLM_CONFIG_PATH, TEST_MASTER_KEY, litellmEnvironment } from './fixtures/litellm-docs.ts'
import { startLiteLLMProxy } from './fixtures/litellm-proxy.ts'

// LiteLLM's proxy server, started from the config.yaml docs/litellm.md documents, called by
// the official openai client. The proxy gets only the documented environment variables: no AWS credentials of its own.

t.setTimeout(CLIENT_FILE_TIMEOUT_MS)

const SONNET_PROFILE = 'us.anthropic.claude-3-5-sonnet-20241022-v2:0'
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0'
const TITAN_EMBED = 'amazon.titan-embed-text-v2:0'
const TITAN_DEFAULT_DIMENSIONS = 1024
const DENIED_PROFILE = 'eu.anthropic.claude-3-5-sonnet-20240620-v1:0'
const DENIED_GLOBAL = 'global.anthropic.claude-sonnet-4-20250514-v1:0'

interface ChatResult {
  text: string
  deltas?: number
  finish_reason: string
  usage: { prompt_tokens: number, completion_tokens: number, total_tokens: number } | null
}
interface EmbeddingsResult { vectors: number[][] }

const harness = await startGatewayHarness(t)
const proxy = await startLiteLLMProxy(t, LITELLM_CONFIG_PATH, pythonEnv(litellmEnvironment(harness.gateway.url, SIGV4_CLIENT)))

const chat = (name: string, model: string, extra: Record<string, unknown> = {}): ClientCall => ({
  name,
  call: 'chat',
  kwargs: { model, messages: [{ role: 'user', content: `Please answer (${name})` }], timeout: CALL_TIMEOUT_SECONDS, ...extra }
})

const CHATS = [
  { call: chat('chat, Converse route', 'claude-sonnet'), modelId: SONNET_PROFILE, region: 'us-east-1', path: 'converse', streaming: false },
  {
    call: chat('chat, streaming', 'claude-sonnet', { stream: true, stream_options: { include_usage: true } }),
    modelId: SONNET_PROFILE,
    region: 'us-east-1',
    path: 'converse-stream',
    streaming: true
  },
  { call: chat('chat, invoke route', 'claude-haiku'), modelId: HAIKU, region: 'us-west-2', path: 'invoke', streaming: false },
  {
    call: chat('chat, any model through the wildcard entry', `bedrock/${HAIKU}`),
    modelId: HAIKU,
    region: 'us-east-1',
    path: 'converse',
    streaming: false
  }
] as const
const EMBEDDING_INPUT = 'Please embed (embeddings)'
// The openai client asks for base64 unless told otherwise, which LiteLLM turns into Titan's *binary* embeddings.
const EMBEDDINGS = {
  name: 'embeddings',
  call: 'embeddings',
  kwargs: { model: 'titan-embed', input: EMBEDDING_INPUT, encoding_format: 'float', timeout: CALL_TIMEOUT_SECONDS }
}
const DENIED = [
  { call: chat('an eu. profile', `bedrock/${DENIED_PROFILE}`), modelId: DENIED_PROFILE, reason: 'PROFILE_PREFIX_NOT_ALLOWED' },
  { call: chat('a global. profile, streaming', `bedrock/${DENIED_GLOBAL}`, { stream: true }), modelId: DENIED_GLOBAL, reason: 'GLOBAL_PROFILE_NOT_ALLOWED' }
] as const

const { outcomes } = await runClientScript<ChatResult & EmbeddingsResult>('openai_calls.py',
  [...CHATS.map(({ call }) => call), EMBEDDINGS, ...DENIED.map(({ call }) => call)],
  pythonEnv({ OPENAI_BASE_URL: proxy.url, OPENAI_API_KEY: TEST_MASTER_KEY }))

function expectedUsage (upstream: RecordedRequest): ChatResult['usage'] {
  const promptTokens = countInputTokens(upstream.body)
  const completionTokens = countOutputTokens(upstream.response?.text ?? '')
  return { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens }
}

for (const { call, modelId, region, path, streaming } of CHATS) {
  t.test(`openai client through the proxy, ${call.name}: the fake's text and usage`, async (t) => {
    const result = resultOf(outcomes, call.name)
    const upstream = upstreamRequestWith(harness.fake.requests, `(${call.name})`)
    t.equal(upstream.path, upstreamModelPath(modelId, path))
    t.equal(upstream.region, region)
    t.equal(result.text, upstream.response?.text)
    t.same(result.usage, expectedUsage(upstream))
    if (streaming) t.equal(result.deltas, replyDeltas(upstream.response?.text ?? '').length)
  })
}

t.test('openai client through the proxy, embeddings: the fake\'s vector', async (t) => {
  const result = resultOf(outcomes, EMBEDDINGS.name)
  const upstream = upstreamRequestWith(harness.fake.requests, EMBEDDING_INPUT)
  t.equal(upstream.path, upstreamModelPath(TITAN_EMBED, 'invoke'))
  t.same(result.vectors, [fakeEmbedding(EMBEDDING_INPUT, TITAN_DEFAULT_DIMENSIONS)])
})

t.test('the proxy used the key pair from the documented environment', async (t) => {
  const allowed = auditLines(harness).filter((line) => line.decision === 'allowed')
  t.equal(allowed.length, CHATS.length + 1)
  t.ok(allowed.every((line) => line.client === SIGV4_CLIENT.name))
})

for (const { call, modelId, reason } of DENIED) {
  t.test(`openai client through the proxy, ${call.name}: PermissionDeniedError (403), tried once`, async (t) => {
    const error = errorOf(outcomes, call.name)
    t.equal(error.error_type, 'openai.PermissionDeniedError')
    t.equal(error.status_code, 403)
    t.match(error.message, reason)
    t.equal(harness.fake.requests.filter((request) => request.body.includes(call.name)).length, 0)
    t.equal(auditLines(harness).filter((line) => line.modelId === modelId).length, 1, 'neither the proxy\'s router nor the openai client retried')
  })
}

t.test('the proxy\'s token counter asks Bedrock through the gateway, for the base model', async (t) => {
  const before = harness.fake.requests.length
  const response = await fetch(`${proxy.url}/utils/token_counter?call_endpoint=true`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_MASTER_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'claude-sonnet', messages: [{ role: 'user', content: 'Please count (token counter)' }] })
  })
  t.equal(response.status, 200)
  const counted = await response.json() as { total_tokens: number, tokenizer_type: string }
  const upstream = harness.fake.requests[before]
  t.equal(upstream?.operation, 'CountTokens')
  t.equal(upstream?.path, upstreamModelPath('anthropic.claude-3-5-sonnet-20241022-v2:0', 'count-tokens'), 'LiteLLM strips the us. prefix')
  t.equal(upstream?.region, 'us-east-1')
  const payload = countedPayload(JSON.parse(upstream?.body.toString('utf8') ?? '{}') as Record<string, unknown>)
  t.equal(counted.total_tokens, countInputTokens(payload ?? new Uint8Array()))
  t.equal(counted.tokenizer_type, 'bedrock_api')
})
