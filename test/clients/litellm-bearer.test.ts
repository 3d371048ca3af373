import t from 'tap'
import { BEARER_CLIENT, startGatewayHarness } from '../support/gateway-harness.ts'
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

t.setTimeout(CLIENT_FILE_TIMEOUT_MS)

// LiteLLM with a gateway bearer key (api_key). It then sends no SigV4 signature, so there
// is no region in the request: the endpoint's path prefix names it, or the client's defaultRegion applies.

const US_PROFILE = 'us.anthropic.claude-3-5-sonnet-20241022-v2:0'
const FOUNDATION_MODEL = 'anthropic.claude-3-haiku-20240307-v1:0'
const EU_PROFILE = 'eu.anthropic.claude-3-5-sonnet-20240620-v1:0'

interface CompletionResult { text: string }

const ALLOWED = [
  {
    name: 'Converse through a us. profile, region from the /us-west-2 prefix',
    regionPrefix: '/us-west-2',
    model: `bedrock/${US_PROFILE}`,
    expected: { region: 'us-west-2', path: upstreamModelPath(US_PROFILE, 'converse') }
  },
  {
    name: 'invoke route, streaming, a foundation model, region from the /us-east-2 prefix',
    regionPrefix: '/us-east-2',
    model: `bedrock/invoke/${FOUNDATION_MODEL}`,
    stream: true,
    expected: { region: 'us-east-2', path: upstreamModelPath(FOUNDATION_MODEL, 'invoke-with-response-stream') }
  },
  {
    name: 'no prefix: the client\'s defaultRegion',
    regionPrefix: '',
    model: `bedrock/${FOUNDATION_MODEL}`,
    expected: { region: 'us-east-1', path: upstreamModelPath(FOUNDATION_MODEL, 'converse') }
  }
] as const

const DENIED = [
  { name: 'a region prefix outside the allowlist', regionPrefix: '/eu-central-1', model: `bedrock/${FOUNDATION_MODEL}`, reason: 'REGION_NOT_ALLOWED' },
  { name: 'an eu. profile from /eu-west-2', regionPrefix: '/eu-west-2', model: `bedrock/${EU_PROFILE}`, reason: 'PROFILE_PREFIX_NOT_ALLOWED' }
] as const
const UNKNOWN_KEY = 'a key the gateway never issued'

const harness = await startGatewayHarness(t)

function bearerCall (name: string, regionPrefix: string, model: string, extra: Record<string, unknown> = {}): ClientCall {
  return {
    name,
    call: 'completion',
    kwargs: {
      model,
      messages: [{ role: 'user', content: `Please answer (${name})` }],
      aws_bedrock_runtime_endpoint: `${harness.gateway.url}${regionPrefix}`,
      api_key: BEARER_CLIENT.apiKey,
      timeout: CALL_TIMEOUT_SECONDS,
      ...extra
    }
  }
}

const { outcomes } = await runClientScript<CompletionResult>('litellm_calls.py', [
  ...ALLOWED.map((call) => bearerCall(call.name, call.regionPrefix, call.model, 'stream' in call ? { stream: true } : {})),
  ...DENIED.map((call) => bearerCall(call.name, call.regionPrefix, call.model)),
  bearerCall(UNKNOWN_KEY, '/us-west-2', `bedrock/${FOUNDATION_MODEL}`, { api_key: `${BEARER_CLIENT.apiKey}-not` })
])

for (const call of ALLOWED) {
  t.test(`bearer, ${call.name}: allowed, answered with the fake's text`, async (t) => {
    const result = resultOf(outcomes, call.name)
    const upstream = upstreamRequestWith(harness.fake.requests, call.name)
    t.equal(upstream.path, call.expected.path, 'the region prefix is not forwarded')
    t.equal(upstream.region, call.expected.region)
    t.equal(upstream.signature?.ok, true, 're-signed by the gateway')
    t.equal(upstream.headers.authorization?.includes(BEARER_CLIENT.apiKey), false, 'the bearer key stays at the gateway')
    t.equal(result.text, upstream.response?.text)
  })
}

for (const call of DENIED) {
  t.test(`bearer, ${call.name}: PermissionDeniedError (403), nothing upstream`, async (t) => {
    const error = errorOf(outcomes, call.name)
    t.equal(error.error_type, 'litellm.exceptions.PermissionDeniedError')
    t.equal(error.status_code, 403)
    t.match(error.message, call.reason)
    t.equal(harness.fake.requests.filter((request) => request.body.includes(call.name)).length, 0)
    const seen = auditLines(harness).filter((line) => line.reason === call.reason)
    t.equal(seen.length, 1, 'not retried')
    t.equal(seen[0]?.client, BEARER_CLIENT.name)
  })
}

t.test('bearer, a key the gateway never issued: AuthenticationError, nothing upstream', async (t) => {
  const error = errorOf(outcomes, UNKNOWN_KEY)
  t.equal(error.error_type, 'litellm.exceptions.AuthenticationError')
  t.equal(error.status_code, 403)
  t.equal(harness.fake.requests.length, ALLOWED.length, 'only the allowed calls reached Bedrock')
  t.equal(auditLines(harness).filter((line) => line.decision === 'unauthenticated').length, 1)
})
