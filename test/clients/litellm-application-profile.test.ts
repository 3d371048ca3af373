import t from 'tap'
import { SIGV4_CLIENT, startGatewayHarness } from '../support/gateway-harness.ts'
import { GENEROUS_LOOKUP_TIMEOUT_MS, PARIS_APP, ROUTED_MODEL, US_APP } from '../support/routing-fixtures.ts'
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

// LiteLLM names an application inference profile by its ARN in `model_id` (as the inference-profile ARN scenario of
// litellm-sdk.test.ts does), and the gateway, resolving application profiles (the default), decides on the regions
// the fake control plane reports for it. One Python run for both calls.

const LITELLM_PERMISSION_DENIED = 'litellm.exceptions.PermissionDeniedError'
const REQUESTED_REGION = 'us-east-1'
const ALLOWED_APP_ARN = US_APP.profile.inferenceProfileArn
const PARIS_APP_ARN = PARIS_APP.profile.inferenceProfileArn
const ALLOWED_CALL = 'Converse with an application profile that stays in us-east-1 and us-west-2'
const PARIS_CALL = 'Converse with an application profile that can run in eu-west-3'

/** Written into the prompt, so the request that reached the fake can be found by its body. */
const marker = (name: string): string => `[call ${name}]`

const harness = await startGatewayHarness(t, {
  controlPlane: { inferenceProfiles: [US_APP, PARIS_APP] },
  // A loaded test machine may answer slower than the default lookup timeout; a timeout here would be a false failure.
  extraYaml: `routing: { lookupTimeoutMs: ${GENEROUS_LOOKUP_TIMEOUT_MS} }`
})
const controlPlane = harness.controlPlane!

function applicationProfileCall (name: string, profileArn: string): ClientCall {
  return {
    name,
    call: 'completion',
    kwargs: {
      model: `bedrock/${ROUTED_MODEL}`,
      model_id: profileArn,
      aws_region_name: REQUESTED_REGION,
      messages: [{ role: 'user', content: `Please answer ${marker(name)}` }],
      aws_bedrock_runtime_endpoint: harness.gateway.url,
      aws_access_key_id: SIGV4_CLIENT.accessKeyId,
      aws_secret_access_key: SIGV4_CLIENT.secretAccessKey,
      timeout: CALL_TIMEOUT_SECONDS
    }
  }
}

const { outcomes } = await runClientScript<{ text: string }>('litellm_calls.py', [
  applicationProfileCall(ALLOWED_CALL, ALLOWED_APP_ARN),
  applicationProfileCall(PARIS_CALL, PARIS_APP_ARN)
])

t.test('an application profile whose models all run in allowed regions: LiteLLM gets the fake\'s completion', async (t) => {
  const result = resultOf(outcomes, ALLOWED_CALL)
  const upstream = upstreamRequestWith(harness.fake.requests, marker(ALLOWED_CALL))
  t.equal(result.text, upstream.response?.text)
  t.equal(upstream.operation, 'Converse')
  t.equal(upstream.path, upstreamModelPath(ALLOWED_APP_ARN, 'converse'), 'the ARN reaches Bedrock unchanged')
  t.equal(upstream.region, REQUESTED_REGION)
  t.equal(upstream.signature?.ok, true, 're-signed with the gateway credentials')
  t.equal(controlPlane.lookups('GetInferenceProfile', ALLOWED_APP_ARN), 1, 'the control plane was asked once')
})

t.test('an application profile with a model in eu-west-3: LiteLLM raises PermissionDeniedError naming eu-west-3, nothing reaches Bedrock', async (t) => {
  const error = errorOf(outcomes, PARIS_CALL)
  t.equal(error.error_type, LITELLM_PERMISSION_DENIED)
  t.equal(error.status_code, 403)
  t.match(error.message, 'AccessDeniedException')
  t.match(error.message, /PROFILE_ROUTES_OUTSIDE_ALLOWLIST: .*application profile can run in eu-west-3/)
  t.same(harness.fake.requests.filter((request) => request.body.includes(marker(PARIS_CALL))), [])
  t.equal(harness.fake.requests.length, 1, 'only the allowed call reached Bedrock')
  const seen = auditLines(harness).filter((line) => line.modelId === PARIS_APP_ARN)
  t.equal(seen.length, 1, 'LiteLLM did not retry')
  t.match(seen[0], { client: SIGV4_CLIENT.name, decision: 'denied', reason: 'PROFILE_ROUTES_OUTSIDE_ALLOWLIST', status: 403 })
  t.equal(controlPlane.lookups('GetInferenceProfile', PARIS_APP_ARN), 1)
})
