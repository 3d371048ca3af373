import t from 'tap'
import {
  anthropicMessage,
  anthropicStreamEvents,
  converseResponse,
  converseStreamEvents,
  countInputTokens,
  countedPayload,
  type RecordedRequest,
  type ReplyFacts
} from '../support/fake-bedrock/index.ts'
import { SIGV4_CLIENT, startGatewayHarness } from '../support/gateway-harness.ts'
import {
  CLIENT_FILE_TIMEOUT_MS,
  auditLines,
  errorOf,
  resultOf,
  runClientScript,
  upstreamRequestWith,
  type ClientCall
} from './fixtures/client-scripts.ts'

t.setTimeout(CLIENT_FILE_TIMEOUT_MS)

// boto3's bedrock-runtime client, default settings, endpoint_url at the gateway and the
// gateway-issued key pair in the environment. Allowed calls return exactly what the fake sent; denied ones raise
// ClientError with AccessDeniedException and reach nothing.

const US_PROFILE = 'us.anthropic.claude-3-5-sonnet-20241022-v2:0'
const FOUNDATION_MODEL = 'anthropic.claude-3-haiku-20240307-v1:0'
const COUNTED_MODEL = 'anthropic.claude-3-5-haiku-20241022-v1:0'
const EU_PROFILE = 'eu.anthropic.claude-3-5-sonnet-20240620-v1:0'
const GLOBAL_PROFILE = 'global.anthropic.claude-sonnet-4-20250514-v1:0'
const GUARDRAIL_ID = 'gr7x9k2mq4ab'
const GUARDRAIL_VERSION = '1'
const ANTHROPIC_VERSION = 'bedrock-2023-05-31'

const converseMessages = (marker: string): unknown => [{ role: 'user', content: [{ text: `Please answer (${marker})` }] }]
const anthropicBody = (marker: string): unknown => ({
  anthropic_version: ANTHROPIC_VERSION,
  max_tokens: 64,
  messages: [{ role: 'user', content: `Please answer (${marker})` }]
})

const harness = await startGatewayHarness(t)

function boto3Call (name: string, region: string, operation: string, params: Record<string, unknown>): ClientCall {
  return { name, endpoint_url: harness.gateway.url, region, operation, params }
}

const ALLOWED = {
  converse: boto3Call('converse', 'us-east-1', 'converse', { modelId: US_PROFILE, messages: converseMessages('converse') }),
  converseStream: boto3Call('converse_stream', 'us-west-2', 'converse_stream',
    { modelId: FOUNDATION_MODEL, messages: converseMessages('converse_stream') }),
  invokeModel: boto3Call('invoke_model', 'us-west-2', 'invoke_model',
    { modelId: US_PROFILE, body: anthropicBody('invoke_model'), contentType: 'application/json' }),
  invokeModelStream: boto3Call('invoke_model_with_response_stream', 'us-east-1', 'invoke_model_with_response_stream',
    { modelId: FOUNDATION_MODEL, body: anthropicBody('invoke_model_with_response_stream'), contentType: 'application/json' }),
  countTokens: boto3Call('count_tokens', 'us-east-1', 'count_tokens',
    { modelId: COUNTED_MODEL, input: { converse: { messages: converseMessages('count_tokens') } } }),
  applyGuardrail: boto3Call('apply_guardrail', 'us-west-2', 'apply_guardrail', {
    guardrailIdentifier: GUARDRAIL_ID,
    guardrailVersion: GUARDRAIL_VERSION,
    source: 'INPUT',
    content: [{ text: { text: 'Please check (apply_guardrail)' } }]
  })
} as const

const deniedMessages = converseMessages('denied')
const DENIED = [
  {
    call: boto3Call('converse in eu-central-1', 'eu-central-1', 'converse', { modelId: FOUNDATION_MODEL, messages: deniedMessages }),
    operation: 'Converse',
    reason: 'REGION_NOT_ALLOWED'
  },
  {
    call: boto3Call('converse_stream through an eu. profile', 'eu-west-2', 'converse_stream', { modelId: EU_PROFILE, messages: deniedMessages }),
    operation: 'ConverseStream',
    reason: 'PROFILE_PREFIX_NOT_ALLOWED'
  },
  {
    call: boto3Call('invoke_model through a global. profile', 'us-east-1', 'invoke_model', { modelId: GLOBAL_PROFILE, body: anthropicBody('denied') }),
    operation: 'InvokeModel',
    reason: 'GLOBAL_PROFILE_NOT_ALLOWED'
  },
  {
    call: boto3Call('invoke_model_with_response_stream with an ARN in another region', 'us-east-1', 'invoke_model_with_response_stream',
      { modelId: `arn:aws:bedrock:eu-central-1::foundation-model/${FOUNDATION_MODEL}`, body: anthropicBody('denied') }),
    operation: 'InvokeModelWithResponseStream',
    reason: 'ARN_REGION_MISMATCH'
  },
  {
    call: boto3Call('count_tokens in eu-central-1', 'eu-central-1', 'count_tokens',
      { modelId: COUNTED_MODEL, input: { converse: { messages: deniedMessages } } }),
    operation: 'CountTokens',
    reason: 'REGION_NOT_ALLOWED'
  },
  {
    call: boto3Call('apply_guardrail in eu-central-1', 'eu-central-1', 'apply_guardrail',
      { guardrailIdentifier: GUARDRAIL_ID, guardrailVersion: GUARDRAIL_VERSION, source: 'INPUT', content: [{ text: { text: 'denied' } }] }),
    operation: 'ApplyGuardrail',
    reason: 'REGION_NOT_ALLOWED'
  }
] as const

type Json = Record<string, unknown>
const { outcomes } = await runClientScript<Json>('boto3_calls.py', [...Object.values(ALLOWED), ...DENIED.map(({ call }) => call)])

/** What the fake generated for `upstream`: its reply text and the input tokens it counted. */
function replyFacts (upstream: RecordedRequest): ReplyFacts {
  return { text: upstream.response?.text ?? '', inputTokens: countInputTokens(upstream.body) }
}

function upstreamFor (call: ClientCall): RecordedRequest {
  const upstream = upstreamRequestWith(harness.fake.requests, `(${call.name})`)
  if (upstream.region !== call.region) throw new Error(`${call.name} was sent to ${upstream.region}, not ${String(call.region)}`)
  return upstream
}

t.test('converse returns the fake\'s response', async (t) => {
  const upstream = upstreamFor(ALLOWED.converse)
  t.equal(upstream.operation, 'Converse')
  t.same(resultOf(outcomes, ALLOWED.converse.name), converseResponse(replyFacts(upstream)))
})

t.test('converse_stream yields the fake\'s events, in order', async (t) => {
  const upstream = upstreamFor(ALLOWED.converseStream)
  t.equal(upstream.operation, 'ConverseStream')
  const expected = converseStreamEvents(replyFacts(upstream)).map(([type, payload]) => ({ [type]: payload }))
  t.same(resultOf(outcomes, ALLOWED.converseStream.name).stream, expected)
})

t.test('invoke_model returns the fake\'s body', async (t) => {
  const upstream = upstreamFor(ALLOWED.invokeModel)
  t.equal(upstream.operation, 'InvokeModel')
  const result = resultOf(outcomes, ALLOWED.invokeModel.name)
  t.equal(result.contentType, 'application/json')
  t.same(result.body, anthropicMessage(replyFacts(upstream), US_PROFILE, upstream.requestId))
})

t.test('invoke_model_with_response_stream yields the fake\'s chunks, in order', async (t) => {
  const upstream = upstreamFor(ALLOWED.invokeModelStream)
  t.equal(upstream.operation, 'InvokeModelWithResponseStream')
  const expected = anthropicStreamEvents(replyFacts(upstream), FOUNDATION_MODEL, upstream.requestId).map((chunk) => ({ chunk }))
  t.same(resultOf(outcomes, ALLOWED.invokeModelStream.name).body, expected)
})

t.test('count_tokens returns the fake\'s count', async (t) => {
  const upstream = upstreamFor(ALLOWED.countTokens)
  t.equal(upstream.operation, 'CountTokens')
  const payload = countedPayload(JSON.parse(upstream.body.toString('utf8')) as Json)
  t.ok(payload, 'the fake counted a converse input')
  t.same(resultOf(outcomes, ALLOWED.countTokens.name), { inputTokens: countInputTokens(payload ?? new Uint8Array()) })
})

t.test('apply_guardrail returns the fake\'s assessment', async (t) => {
  const upstream = upstreamFor(ALLOWED.applyGuardrail)
  t.equal(upstream.operation, 'ApplyGuardrail')
  t.equal(upstream.path, `/guardrail/${GUARDRAIL_ID}/version/${GUARDRAIL_VERSION}/apply`)
  const result = resultOf(outcomes, ALLOWED.applyGuardrail.name)
  t.equal(result.action, 'NONE')
  const checked = 'Please check (apply_guardrail)'.length
  t.same(result.guardrailCoverage, { textCharacters: { guarded: checked, total: checked } })
})

t.test('only the allowed calls reached Bedrock, each once', async (t) => {
  t.equal(harness.fake.requests.length, Object.keys(ALLOWED).length)
  t.ok(harness.fake.requests.every((request) => request.signature?.ok === true), 're-signed by the gateway')
})

for (const { call, operation, reason } of DENIED) {
  t.test(`${call.name}: ClientError AccessDeniedException (403), one request`, async (t) => {
    const error = errorOf(outcomes, call.name)
    t.equal(error.error_type, 'botocore.errorfactory.AccessDeniedException', 'the modeled Bedrock exception')
    t.ok(error.error_classes.includes('botocore.exceptions.ClientError'), 'caught by except ClientError')
    t.equal(error.code, 'AccessDeniedException')
    t.equal(error.status_code, 403)
    t.match(error.message, reason)
    const seen = auditLines(harness).filter((line) => line.operation === operation && line.decision === 'denied')
    t.equal(seen.length, 1, 'botocore did not retry')
    t.match(seen[0], { client: SIGV4_CLIENT.name, region: call.region, reason, status: 403 })
  })
}
