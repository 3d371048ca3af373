import t from 'tap'
import { countInputTokens, countedPayload, startFakeBedrock } from '../support/fake-bedrock/index.ts'
import { SIGV4_CLIENT, startGatewayHarness } from '../support/gateway-harness.ts'
import { OFFLINE_GUARD_MARKER } from '../support/python-env.ts'
import {
  CALL_TIMEOUT_SECONDS,
  CLIENT_FILE_TIMEOUT_MS,
  auditLines,
  clientEnv,
  errorOf,
  resultOf,
  runClientScript,
  upstreamModelPath,
  upstreamRequestWith,
  type ClientCall
} from './fixtures/client-scripts.ts'

t.setTimeout(CLIENT_FILE_TIMEOUT_MS)

// What docs/litellm.md ("What LiteLLM sends outside the gateway", "Never set api_base") says about traffic around
// the gateway, shown with LiteLLM itself: api_base beats the endpoint on the invoke route, a trailing slash breaks
// every path, and token counting reads the endpoint from the environment only,
// and falls back to the bedrock-mantle service directly. Where LiteLLM tries to leave 127.0.0.1 the loopback fence
// stops it and says so.

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0'
const SONNET_PROFILE = 'us.anthropic.claude-3-5-sonnet-20241022-v2:0'
const SONNET = 'anthropic.claude-3-5-sonnet-20241022-v2:0'

interface CountResult { total_tokens: number, tokenizer_type: string }
interface CompletionResult { text: string }

const harness = await startGatewayHarness(t)
// Stands in for bedrock-runtime.{region}.amazonaws.com: whatever reaches it went around the gateway.
const aws = await startFakeBedrock()
t.teardown(() => aws.close())

const gatewayKeys = { aws_access_key_id: SIGV4_CLIENT.accessKeyId, aws_secret_access_key: SIGV4_CLIENT.secretAccessKey }
const prompt = (name: string): unknown => [{ role: 'user', content: `Please answer (${name})` }]

const completion = (name: string, kwargs: Record<string, unknown>): ClientCall => ({
  name,
  call: 'completion',
  kwargs: { messages: prompt(name), ...gatewayKeys, timeout: CALL_TIMEOUT_SECONDS, ...kwargs }
})
const countTokens = (name: string, environ: Record<string, string | null>): ClientCall => ({
  name,
  call: 'count_tokens',
  kwargs: { model: `bedrock/${SONNET_PROFILE}`, messages: prompt(name) },
  environ
})

const CALLS = {
  apiBaseInvoke: completion('api_base and the endpoint, invoke route', {
    model: `bedrock/invoke/${HAIKU}`, aws_region_name: 'us-east-1', aws_bedrock_runtime_endpoint: harness.gateway.url, api_base: aws.url
  }),
  apiBaseConverse: completion('api_base and the endpoint, Converse route', {
    model: `bedrock/${HAIKU}`, aws_region_name: 'us-east-1', aws_bedrock_runtime_endpoint: harness.gateway.url, api_base: aws.url
  }),
  trailingSlash: completion('an endpoint with a trailing slash', {
    model: `bedrock/${HAIKU}`, aws_region_name: 'us-east-1', aws_bedrock_runtime_endpoint: `${harness.gateway.url}/`
  }),
  // acount_tokens takes no endpoint or region argument: both come from the environment.
  countRejected: countTokens('token count that Bedrock answers with 400',
    { AWS_BEDROCK_RUNTIME_ENDPOINT: harness.gateway.url, AWS_REGION_NAME: 'us-east-2' }),
  countThroughGateway: countTokens('token count with AWS_BEDROCK_RUNTIME_ENDPOINT set',
    { AWS_BEDROCK_RUNTIME_ENDPOINT: harness.gateway.url, AWS_REGION_NAME: 'us-east-1' }),
  countWithoutEndpoint: countTokens('token count without AWS_BEDROCK_RUNTIME_ENDPOINT',
    { AWS_BEDROCK_RUNTIME_ENDPOINT: null, AWS_REGION_NAME: 'us-west-2' })
} as const

// The first request of the batch that reaches the fake behind the gateway is the rejected token count.
harness.fake.nextFault({ kind: 'error', errorType: 'ValidationException', message: 'The provided model doesn\'t support counting tokens.' })
const { outcomes, stderr } = await runClientScript<CountResult & CompletionResult>('litellm_calls.py', [
  CALLS.apiBaseInvoke,
  CALLS.trailingSlash,
  CALLS.countRejected,
  CALLS.countThroughGateway,
  CALLS.apiBaseConverse,
  CALLS.countWithoutEndpoint
], clientEnv())

const refusedConnections = (host: string): boolean => stderr.includes(`${OFFLINE_GUARD_MARKER} socket.getaddrinfo '${host}'`)

t.test('with api_base set, the invoke route skips the gateway and goes to api_base, signed with the client\'s key', async (t) => {
  t.equal(aws.requests.length, 1, 'one request went around the gateway')
  const bypass = aws.requests[0]
  t.equal(bypass?.path, `/model/${HAIKU}/invoke`)
  t.equal(bypass?.signature?.accessKeyId, SIGV4_CLIENT.accessKeyId, 'AWS would see the gateway-issued key, and refuse it')
  t.equal(bypass?.signature?.ok, false)
  t.equal(errorOf(outcomes, CALLS.apiBaseInvoke.name).error_type, 'litellm.exceptions.AuthenticationError')
})

t.test('with api_base set, the Converse route still uses the endpoint', async (t) => {
  const upstream = upstreamRequestWith(harness.fake.requests, CALLS.apiBaseConverse.name)
  t.equal(upstream.path, upstreamModelPath(HAIKU, 'converse'))
  t.equal(resultOf(outcomes, CALLS.apiBaseConverse.name).text, upstream.response?.text)
})

t.test('a trailing slash on the endpoint gives //model/... paths, which the gateway refuses as malformed', async (t) => {
  const error = errorOf(outcomes, CALLS.trailingSlash.name)
  t.equal(error.error_type, 'litellm.exceptions.BadRequestError')
  t.equal(error.status_code, 400)
  t.match(error.message, '//model/')
  t.equal(harness.fake.requests.filter((request) => request.body.includes(CALLS.trailingSlash.name)).length, 0)
  t.equal(auditLines(harness).filter((line) => line.reason === 'MALFORMED_REQUEST').length, 1)
})

t.test('token counting with AWS_BEDROCK_RUNTIME_ENDPOINT set goes through the gateway', async (t) => {
  const result = resultOf(outcomes, CALLS.countThroughGateway.name)
  const upstream = upstreamRequestWith(harness.fake.requests, CALLS.countThroughGateway.name)
  t.equal(upstream.path, upstreamModelPath(SONNET, 'count-tokens'), 'the base model, us. prefix stripped')
  t.equal(upstream.region, 'us-east-1')
  const payload = countedPayload(JSON.parse(upstream.body.toString('utf8')) as Record<string, unknown>)
  t.same(result, { total_tokens: countInputTokens(payload ?? new Uint8Array()), tokenizer_type: 'bedrock_api' })
})

t.test('token counting without AWS_BEDROCK_RUNTIME_ENDPOINT goes to bedrock-runtime at AWS directly', async (t) => {
  t.ok(refusedConnections('bedrock-runtime.us-west-2.amazonaws.com'), 'LiteLLM tried AWS (the fence stopped it)')
  t.equal(resultOf(outcomes, CALLS.countWithoutEndpoint.name).tokenizer_type, 'local_tokenizer', 'then counted locally')
})

t.test('a token count Bedrock rejects with 400 is retried on bedrock-mantle at AWS directly', async (t) => {
  const rejected = upstreamRequestWith(harness.fake.requests, CALLS.countRejected.name)
  t.equal(rejected.response?.status, 400)
  t.equal(rejected.region, 'us-east-2')
  t.ok(refusedConnections('bedrock-mantle.us-east-2.api.aws'), 'LiteLLM tried bedrock-mantle (the fence stopped it)')
  t.equal(resultOf(outcomes, CALLS.countRejected.name).tokenizer_type, 'local_tokenizer')
})
