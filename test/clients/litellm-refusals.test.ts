import t from 'tap'
import { SIGV4_CLIENT, startGatewayHarness } from '../support/gateway-harness.ts'
import {
  CALL_TIMEOUT_SECONDS,
  CLIENT_FILE_TIMEOUT_MS,
  auditLines,
  errorOf,
  runClientScript,
  type ClientCall
} from './fixtures/client-scripts.ts'

t.setTimeout(CLIENT_FILE_TIMEOUT_MS)

// what LiteLLM makes of the gateway's refusals. Each must be LiteLLM's permission-denied
// error (403) rather than a connection error its router would retry, must not be retried, and must send nothing
// upstream. A throttled call must come back as LiteLLM's rate-limit error. num_retries stays at LiteLLM's default.

const LITELLM_PERMISSION_DENIED = 'litellm.exceptions.PermissionDeniedError'
const LITELLM_RATE_LIMIT = 'litellm.exceptions.RateLimitError'
const FOUNDATION_MODEL = 'anthropic.claude-3-haiku-20240307-v1:0'
const EU_PROFILE = 'eu.anthropic.claude-3-5-sonnet-20240620-v1:0'
const GLOBAL_PROFILE = 'global.anthropic.claude-sonnet-4-20250514-v1:0'
const ARN_IN_ANOTHER_REGION = `arn:aws:bedrock:eu-central-1::foundation-model/${FOUNDATION_MODEL}`

const REFUSALS = [
  {
    name: 'an eu. profile from eu-west-2',
    kwargs: { model: `bedrock/${EU_PROFILE}`, aws_region_name: 'eu-west-2' },
    expected: { operation: 'Converse', region: 'eu-west-2', modelId: EU_PROFILE, reason: 'PROFILE_PREFIX_NOT_ALLOWED' }
  },
  {
    name: 'an eu. profile on the invoke route, streaming',
    kwargs: { model: `bedrock/invoke/${EU_PROFILE}`, aws_region_name: 'eu-west-2', stream: true },
    expected: { operation: 'InvokeModelWithResponseStream', region: 'eu-west-2', modelId: EU_PROFILE, reason: 'PROFILE_PREFIX_NOT_ALLOWED' }
  },
  {
    name: 'a global. profile',
    kwargs: { model: `bedrock/${GLOBAL_PROFILE}`, aws_region_name: 'us-east-1' },
    expected: { operation: 'Converse', region: 'us-east-1', modelId: GLOBAL_PROFILE, reason: 'GLOBAL_PROFILE_NOT_ALLOWED' }
  },
  {
    name: 'a global. profile, streaming',
    kwargs: { model: `bedrock/${GLOBAL_PROFILE}`, aws_region_name: 'us-west-2', stream: true },
    expected: { operation: 'ConverseStream', region: 'us-west-2', modelId: GLOBAL_PROFILE, reason: 'GLOBAL_PROFILE_NOT_ALLOWED' }
  },
  {
    name: 'a region outside the allowlist',
    kwargs: { model: `bedrock/${FOUNDATION_MODEL}`, aws_region_name: 'eu-central-1' },
    expected: { operation: 'Converse', region: 'eu-central-1', modelId: FOUNDATION_MODEL, reason: 'REGION_NOT_ALLOWED' }
  },
  {
    name: 'an ARN in another region',
    kwargs: { model: `bedrock/${FOUNDATION_MODEL}`, model_id: ARN_IN_ANOTHER_REGION, aws_region_name: 'us-east-1' },
    expected: { operation: 'Converse', region: 'us-east-1', modelId: ARN_IN_ANOTHER_REGION, reason: 'ARN_REGION_MISMATCH' }
  }
] as const
const THROTTLED = 'an allowed call that Bedrock throttles'

function completionCall (name: string, kwargs: Record<string, unknown>, endpoint: string): ClientCall {
  return {
    name,
    call: 'completion',
    kwargs: {
      messages: [{ role: 'user', content: `Please answer (${name})` }],
      aws_bedrock_runtime_endpoint: endpoint,
      aws_access_key_id: SIGV4_CLIENT.accessKeyId,
      aws_secret_access_key: SIGV4_CLIENT.secretAccessKey,
      timeout: CALL_TIMEOUT_SECONDS,
      ...kwargs
    }
  }
}

const harness = await startGatewayHarness(t)
// The only call the gateway lets through is the last one, so the fault meets exactly that request.
harness.fake.nextFault({ kind: 'error', errorType: 'ThrottlingException' })
const { outcomes } = await runClientScript('litellm_calls.py', [
  ...REFUSALS.map(({ name, kwargs }) => completionCall(name, kwargs, harness.gateway.url)),
  completionCall(THROTTLED, { model: `bedrock/${FOUNDATION_MODEL}`, aws_region_name: 'us-west-2' }, harness.gateway.url)
])

t.test('of all the calls, only the allowed one reached Bedrock', async (t) => {
  t.equal(harness.fake.requests.length, 1)
  t.equal(harness.fake.requests[0]?.region, 'us-west-2')
  t.match(harness.fake.requests[0]?.body.toString(), THROTTLED)
})

for (const refusal of REFUSALS) {
  t.test(`${refusal.name}: LiteLLM raises PermissionDeniedError (403) after one request`, async (t) => {
    const error = errorOf(outcomes, refusal.name)
    t.equal(error.error_type, LITELLM_PERMISSION_DENIED)
    t.equal(error.status_code, 403)
    t.match(error.message, 'AccessDeniedException')
    t.match(error.message, refusal.expected.reason, 'the user can see why')
    const seen = auditLines(harness).filter((line) => line.modelId === refusal.expected.modelId &&
      line.operation === refusal.expected.operation && line.region === refusal.expected.region)
    t.equal(seen.length, 1, 'LiteLLM did not retry')
    t.match(seen[0], { client: SIGV4_CLIENT.name, decision: 'denied', reason: refusal.expected.reason, status: 403 })
  })
}

t.test('a throttled call raises LiteLLM\'s RateLimitError (429), not retried', async (t) => {
  const error = errorOf(outcomes, THROTTLED)
  t.equal(error.error_type, LITELLM_RATE_LIMIT)
  t.equal(error.status_code, 429)
  t.match(error.message, 'ThrottlingException')
  t.equal(harness.fake.requests[0]?.response?.status, 429)
  t.equal(auditLines(harness).filter((line) => line.decision === 'allowed').length, 1)
})
