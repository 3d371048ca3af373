import { fileURLToPath } from 'node:url'
import t from 'tap'
import { FAKE_ACCOUNT_ID, FAKE_UPSTREAM_CREDENTIALS } from '../support/fake-bedrock/index.ts'
import { inProcessLimitsYaml, leakedHeaders } from '../support/gateway-clients.ts'
import { SIGV4_CLIENT, startGatewayHarness } from '../support/gateway-harness.ts'
import { pythonEnv, runPython } from '../support/python-env.ts'

/**
 * Requests signed by botocore exactly as LiteLLM signs them (SigV4Auth over the URL and body it sends), and by a
 * boto3 bedrock-runtime client, sent to the running gateway: each must be verified, allowed and forwarded.
 */
const SCRIPT = fileURLToPath(new URL('../auth/fixtures/sign_with_botocore.py', import.meta.url))
const SESSION_TOKEN = 'FwoGZXIvYXdzEXAMPLESESSIONTOKEN//////////wEaDEXAMPLE='
const CONVERSE_BODY = { messages: [{ role: 'user', content: [{ text: 'hello' }] }] }
const ENCODED_PROFILE_ARN = `arn%3Aaws%3Abedrock%3Aus-west-2%3A${FAKE_ACCOUNT_ID}%3Ainference-profile%2Fus.anthropic.claude-3-5-sonnet-20241022-v2%3A0`

interface Job {
  readonly title: string
  /** What the fake Bedrock must receive: the canonical path, signed by the gateway for this region. */
  readonly upstreamPath: string
  readonly region: string
  readonly job: Record<string, unknown>
}

const litellm = (title: string, path: string, region: string, upstreamPath: string, extra: Record<string, unknown> = {}): Job => ({
  title: `LiteLLM: ${title}`,
  upstreamPath,
  region,
  job: { kind: 'litellm', method: 'POST', path, region, body: CONVERSE_BODY, ...extra }
})

const JOBS: Job[] = [
  litellm('invoke with a raw \':\' in the model id', '/model/anthropic.claude-3-haiku-20240307-v1:0/invoke', 'us-east-1',
    '/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke'),
  litellm('converse with a %3A-encoded profile id', '/model/us.anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse', 'us-east-1',
    '/model/us.anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse'),
  litellm('converse with an ARN encoded with %3A and %2F', `/model/${ENCODED_PROFILE_ARN}/converse`, 'us-west-2',
    `/model/${ENCODED_PROFILE_ARN}/converse`),
  litellm('converse behind a /us-east-1 path prefix', '/us-east-1/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse', 'us-east-1',
    '/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse'),
  litellm('converse with session credentials (a signed x-amz-security-token)', '/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse',
    'us-east-2', '/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse', { sessionToken: SESSION_TOKEN }),
  {
    title: 'boto3: converse, the model id encoded by botocore',
    upstreamPath: '/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse',
    region: 'us-west-2',
    job: { kind: 'boto3', operation: 'converse', region: 'us-west-2', params: { modelId: 'anthropic.claude-3-haiku-20240307-v1:0', ...CONVERSE_BODY } }
  }
]

const { fake, gateway } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
const run = await runPython(SCRIPT, [gateway.url, JSON.stringify(JOBS.map(({ job }) => job))], pythonEnv({
  GEOFENCE_TEST_ACCESS_KEY_ID: SIGV4_CLIENT.accessKeyId,
  GEOFENCE_TEST_SECRET_ACCESS_KEY: SIGV4_CLIENT.secretAccessKey
}))

t.test('every botocore-signed request got a 2xx from the gateway', async (t) => {
  t.equal(run.exitCode, 0, run.stderr)
  t.equal(fake.requests.length, JOBS.length)
})

JOBS.forEach((job, i) => {
  t.test(`${job.title}: forwarded to ${job.upstreamPath} in ${job.region}, re-signed by the gateway`, async (t) => {
    const record = fake.requests[i]
    t.equal(record?.path, job.upstreamPath)
    t.match(record, { region: job.region, signature: { ok: true, accessKeyId: FAKE_UPSTREAM_CREDENTIALS.accessKeyId }, response: { status: 200 } })
    t.same(record === undefined ? undefined : leakedHeaders(record), [], 'no caller-only header (the session token included) reached Bedrock')
  })
})
