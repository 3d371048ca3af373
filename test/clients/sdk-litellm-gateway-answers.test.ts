import t from 'tap'
import { SIGV4_CLIENT, startGatewayHarness } from '../support/gateway-harness.ts'
import { OFFLINE_GUARD_MARKER } from '../support/python-env.ts'
import {
  CALL_TIMEOUT_SECONDS,
  CLIENT_FILE_TIMEOUT_MS,
  auditLines,
  clientEnv,
  errorOf,
  resultOf,
  upstreamModelPath,
  upstreamRequestWith,
  type ClientCall
} from './fixtures/client-scripts.ts'
import { runSdkScript } from './fixtures/sdk-scripts.ts'

t.setTimeout(CLIENT_FILE_TIMEOUT_MS)

// What LiteLLM's newest SDK (.cache/venv-sdk, 1.110.2) does with the gateway's answers, as docs/litellm.md says it:
// how often it sends a refused call, whether an endpoint with a trailing slash works, and what its token counting
// does when the gateway refuses CountTokens.

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0'
const EU_PROFILE = 'eu.anthropic.claude-3-5-sonnet-20240620-v1:0'
const EU_PROFILE_RETRIED = 'eu.anthropic.claude-3-7-sonnet-20250219-v1:0'
const SONNET_PROFILE = 'us.anthropic.claude-3-5-sonnet-20241022-v2:0'
const LITELLM_PERMISSION_DENIED = 'litellm.exceptions.PermissionDeniedError'

const harness = await startGatewayHarness(t)
const completion = (name: string, kwargs: Record<string, unknown>): ClientCall => ({
  name,
  call: 'litellm_completion',
  kwargs: {
    messages: [{ role: 'user', content: `Please answer (${name})` }],
    aws_bedrock_runtime_endpoint: harness.gateway.url,
    aws_access_key_id: SIGV4_CLIENT.accessKeyId,
    aws_secret_access_key: SIGV4_CLIENT.secretAccessKey,
    timeout: CALL_TIMEOUT_SECONDS,
    ...kwargs
  }
})
// The two refused calls name different eu. profiles, so the gateway's audit lines tell their attempts apart.
const refused = (name: string, profile: string, numRetries: number | null): ClientCall =>
  completion(name, { model: `bedrock/${profile}`, aws_region_name: 'eu-west-2', num_retries: numRetries })
const REFUSED_ONCE = refused('a refused call with LiteLLM\'s default retries', EU_PROFILE, null)
const REFUSED_WITH_RETRIES = refused('a refused call with num_retries=3', EU_PROFILE_RETRIED, 3)
const TRAILING_SLASH = completion('an endpoint with a trailing slash', {
  model: `bedrock/${HAIKU}`, aws_region_name: 'us-east-1', aws_bedrock_runtime_endpoint: `${harness.gateway.url}/`
})
const COUNT_REFUSED = 'a token count the gateway refuses'

const { outcomes } = await runSdkScript<{ text: string }>([REFUSED_ONCE, REFUSED_WITH_RETRIES, TRAILING_SLASH])
const attemptsOf = (profile: string): number => auditLines(harness).filter((line) => line.modelId === profile && line.reason === 'PROFILE_PREFIX_NOT_ALLOWED').length
// acount_tokens reads the endpoint and the region from the environment only; eu-central-1 is outside the allowlist.
const counted = await runSdkScript<{ total_tokens: number, tokenizer_type: string, error: unknown }>([{
  name: COUNT_REFUSED,
  call: 'litellm_count_tokens',
  kwargs: { model: `bedrock/${SONNET_PROFILE}`, messages: [{ role: 'user', content: COUNT_REFUSED }] }
}], clientEnv({ AWS_BEDROCK_RUNTIME_ENDPOINT: harness.gateway.url, AWS_REGION_NAME: 'eu-central-1' }))

t.test('a refusal is sent once with the default retries, and once more per retry with num_retries', async (t) => {
  t.equal(errorOf(outcomes, REFUSED_ONCE.name).error_type, LITELLM_PERMISSION_DENIED)
  t.equal(attemptsOf(EU_PROFILE), 1)
  const error = errorOf(outcomes, REFUSED_WITH_RETRIES.name)
  t.equal(error.error_type, LITELLM_PERMISSION_DENIED, 'the caller still gets the refusal, with its reason')
  t.match(error.message, 'PROFILE_PREFIX_NOT_ALLOWED')
  t.equal(attemptsOf(EU_PROFILE_RETRIED), 4, 'num_retries=3: the first attempt and three retries, each refused by the gateway')
  t.equal(harness.fake.requests.filter((request) => request.body.includes('a refused call')).length, 0, 'none reached Bedrock')
})

t.test('an endpoint with a trailing slash works: the call reaches Bedrock on its usual path', async (t) => {
  const upstream = upstreamRequestWith(harness.fake.requests, TRAILING_SLASH.name)
  t.equal(upstream.path, upstreamModelPath(HAIKU, 'converse'))
  t.equal(resultOf(outcomes, TRAILING_SLASH.name).text, upstream.response?.text)
})

t.test('a token count the gateway refuses falls back to counting locally, reported as no error', async (t) => {
  t.match(resultOf(counted.outcomes, COUNT_REFUSED), { tokenizer_type: 'local_tokenizer', error: false })
  t.ok((resultOf(counted.outcomes, COUNT_REFUSED).total_tokens) > 0)
  t.match(counted.stderr, 'bedrock_api CountTokens API error: status=403', 'LiteLLM only logs a warning')
  t.notMatch(counted.stderr, OFFLINE_GUARD_MARKER, 'and tries nowhere else')
  const refusal = auditLines(harness).filter((line) => line.operation === 'CountTokens')
  t.match(refusal, [{ decision: 'denied', reason: 'REGION_NOT_ALLOWED', region: 'eu-central-1' }], 'the gateway\'s audit line is where it shows')
  t.equal(harness.fake.requests.filter((request) => request.operation === 'CountTokens').length, 0)
})
