import t from 'tap'
import { BEARER_CLIENT } from '../support/gateway-harness.ts'
import { DOOR_MODELS, startDoorsHarness } from '../support/doors-harness.ts'
import { CLIENT_FILE_TIMEOUT_MS, clientEnv, errorOf, resultOf, type ClientCall } from './fixtures/client-scripts.ts'
import { runSdkScript } from './fixtures/sdk-scripts.ts'

t.setTimeout(CLIENT_FILE_TIMEOUT_MS)

// The newest LiteLLM SDK and the official openai and anthropic clients, each through the door it uses, against one
// gateway in front of a fake bedrock-runtime and a fake bedrock-mantle; one Python run for all of it.

interface TextResult { text: string, events?: number, usage?: Record<string, number> | null, input_tokens?: number, total_tokens?: number }

const MESSAGES = [{ role: 'user', content: 'What is the capital of France?' }]
const harness = await startDoorsHarness(t)
const gw = harness.gateway.url
const openaiRuntime = { base_url: `${gw}/us-east-1/openai/v1`, api_key: BEARER_CLIENT.apiKey }
const openaiMantle = { base_url: `${gw}/us-east-1/mantle/v1`, api_key: BEARER_CLIENT.apiKey }
const anthropicMantle = { base_url: `${gw}/us-east-1/mantle/anthropic`, auth_token: BEARER_CLIENT.apiKey }
const anthropicRoot = { base_url: `${gw}/us-east-1/anthropic`, auth_token: BEARER_CLIENT.apiKey }
const litellmRuntime = { aws_bedrock_runtime_endpoint: gw, aws_region_name: 'us-east-1' }

const calls: ClientCall[] = [
  { name: 'openai chat', call: 'openai_chat', client: openaiRuntime, kwargs: { model: DOOR_MODELS.gptOss, messages: MESSAGES } },
  { name: 'openai chat, streamed', call: 'openai_chat', client: openaiRuntime, kwargs: { model: DOOR_MODELS.gptOss, messages: MESSAGES, stream: true, stream_options: { include_usage: true } } },
  { name: 'openai responses', call: 'openai_responses', client: openaiRuntime, kwargs: { model: DOOR_MODELS.gptOss, input: 'hi' } },
  { name: 'openai responses, streamed', call: 'openai_responses', client: openaiRuntime, kwargs: { model: DOOR_MODELS.gptOss, input: 'hi', stream: true } },
  { name: 'openai chat on mantle', call: 'openai_chat', client: openaiMantle, kwargs: { model: DOOR_MODELS.mantleGpt, messages: MESSAGES } },
  { name: 'anthropic messages on mantle', call: 'anthropic_messages', client: anthropicMantle, kwargs: { model: DOOR_MODELS.mantleClaude, max_tokens: 64, messages: MESSAGES } },
  { name: 'anthropic messages on mantle, streamed', call: 'anthropic_messages', client: anthropicMantle, kwargs: { model: DOOR_MODELS.mantleClaude, max_tokens: 64, messages: MESSAGES, stream: true } },
  { name: 'anthropic count_tokens at the root', call: 'anthropic_count_tokens', client: anthropicRoot, kwargs: { model: DOOR_MODELS.mantleClaude, messages: MESSAGES } },
  { name: 'refused: global model', call: 'openai_chat', client: openaiRuntime, kwargs: { model: DOOR_MODELS.globalGpt, messages: MESSAGES } },
  { name: 'refused: eu model', call: 'openai_responses', client: openaiRuntime, kwargs: { model: DOOR_MODELS.euGpt, input: 'hi' } },
  { name: 'refused: region outside the allowlist', call: 'openai_chat', client: { ...openaiRuntime, base_url: `${gw}/eu-west-1/openai/v1` }, kwargs: { model: DOOR_MODELS.gptOss, messages: MESSAGES } },
  { name: 'refused: two models in one body', call: 'openai_chat', client: openaiRuntime, kwargs: { model: DOOR_MODELS.gptOss, messages: MESSAGES, extra_body: { Model: DOOR_MODELS.globalGpt } } },
  { name: 'refused: unlisted mantle model', call: 'anthropic_messages', client: anthropicMantle, kwargs: { model: DOOR_MODELS.unlistedMantle, max_tokens: 64, messages: MESSAGES } },
  { name: 'litellm chat_completions', call: 'litellm_completion', kwargs: { model: `bedrock/chat_completions/${DOOR_MODELS.gptOss}`, messages: MESSAGES, ...litellmRuntime } },
  { name: 'litellm chat_completions, streamed', call: 'litellm_completion', kwargs: { model: `bedrock/chat_completions/${DOOR_MODELS.gptOss}`, messages: MESSAGES, stream: true, ...litellmRuntime } },
  { name: 'litellm mantle chat', call: 'litellm_completion', kwargs: { model: `bedrock_mantle/${DOOR_MODELS.mantleGpt}`, messages: MESSAGES, aws_region_name: 'us-east-1' } },
  { name: 'litellm mantle claude', call: 'litellm_completion', kwargs: { model: `bedrock_mantle/${DOOR_MODELS.mantleClaude}`, messages: MESSAGES, max_tokens: 64, aws_region_name: 'us-east-1' } },
  { name: 'litellm refused: global model', call: 'litellm_completion', kwargs: { model: `bedrock/chat_completions/${DOOR_MODELS.globalGpt}`, messages: MESSAGES, ...litellmRuntime } }
]

const { outcomes, stderr } = await runSdkScript<TextResult>(calls, clientEnv({
  AWS_REGION_NAME: 'us-east-1',
  BEDROCK_MANTLE_API_BASE: `${gw}/mantle/v1`
}))

t.test('the loopback fence refused nothing', async (t) => {
  t.notMatch(stderr, 'python-offline-guard: blocked')
})

for (const name of ['openai chat', 'openai chat, streamed', 'openai responses', 'openai responses, streamed', 'openai chat on mantle',
  'anthropic messages on mantle', 'anthropic messages on mantle, streamed', 'litellm chat_completions', 'litellm chat_completions, streamed',
  'litellm mantle chat', 'litellm mantle claude']) {
  t.test(`${name}: the client reads the fake's reply through the gateway`, async (t) => {
    t.equal(resultOf(outcomes, name).text, harness.runtime.replyText)
  })
}

t.test('a streamed Chat Completion carries its usage through to the client', async (t) => {
  t.match(resultOf(outcomes, 'openai chat, streamed').usage, { prompt_tokens: Number, completion_tokens: Number })
})

t.test('anthropic count_tokens at the root reaches mantle', async (t) => {
  t.type(resultOf(outcomes, 'anthropic count_tokens at the root').input_tokens, 'number')
})

for (const [name, errorClass, status] of [
  ['refused: global model', 'openai.PermissionDeniedError', 403],
  ['refused: eu model', 'openai.PermissionDeniedError', 403],
  ['refused: region outside the allowlist', 'openai.PermissionDeniedError', 403],
  ['refused: two models in one body', 'openai.BadRequestError', 400],
  ['refused: unlisted mantle model', 'anthropic.PermissionDeniedError', 403],
  ['litellm refused: global model', 'litellm.exceptions.PermissionDeniedError', 403]
] as const) {
  t.test(`${name}: a ${status} in the client's own error class`, async (t) => {
    const error = errorOf(outcomes, name)
    t.equal(error.status_code, status)
    t.ok(error.error_classes.some((cls) => cls.endsWith(errorClass.split('.').at(-1) ?? '')), error.error_type)
  })
}

t.test('no refused call reached either fake', async (t) => {
  const models = [...harness.runtime.requests, ...harness.mantle.requests].map((record) => (JSON.parse(record.body.toString('utf8')) as { model?: string }).model)
  t.notOk(models.includes(DOOR_MODELS.globalGpt))
  t.notOk(models.includes(DOOR_MODELS.euGpt))
  t.notOk(models.includes(DOOR_MODELS.unlistedMantle))
})

t.test('each door reached the API it belongs to, on its own path', async (t) => {
  const runtimePaths = new Set(harness.runtime.requests.map((record) => record.path))
  const mantlePaths = new Set(harness.mantle.requests.map((record) => record.path))
  t.same([...runtimePaths].sort(), ['/openai/v1/chat/completions', '/openai/v1/responses'])
  t.same([...mantlePaths].sort(), ['/anthropic/v1/messages', '/anthropic/v1/messages/count_tokens', '/v1/chat/completions'])
  t.ok([...harness.runtime.requests, ...harness.mantle.requests].every((record) => record.signature?.ok === true), 'every request verified')
})
