import t from 'tap'
import { converseResponse, countInputTokens } from '../support/fake-bedrock/index.ts'
import { SIGV4_CLIENT, startGatewayHarness } from '../support/gateway-harness.ts'
import { runProgram, venvProgram } from '../support/python-env.ts'
import { CLIENT_FILE_TIMEOUT_MS, auditLines, clientEnv, upstreamRequestWith } from './fixtures/client-scripts.ts'

t.setTimeout(CLIENT_FILE_TIMEOUT_MS)

// the AWS CLI (v1) with --endpoint-url at the gateway and the issued key pair in its
// environment, the way an operator would try the gateway by hand.

const ALLOWED_MODEL = 'us.anthropic.claude-3-5-sonnet-20241022-v2:0'
const DENIED_MODEL = 'eu.anthropic.claude-3-5-sonnet-20240620-v1:0'
const CLI_FAILURE_EXIT_CODE = 255

const harness = await startGatewayHarness(t)
const aws = await venvProgram('aws')

function converse (region: string, modelId: string, prompt: string): ReturnType<typeof runProgram> {
  return runProgram(aws, [
    'bedrock-runtime', 'converse',
    '--endpoint-url', harness.gateway.url,
    '--region', region,
    '--model-id', modelId,
    '--messages', JSON.stringify([{ role: 'user', content: [{ text: prompt }] }])
  ], clientEnv())
}

t.test('aws bedrock-runtime converse prints the fake\'s answer for an allowed model', async (t) => {
  const run = await converse('us-west-2', ALLOWED_MODEL, 'Please answer (aws cli, allowed)')
  t.equal(run.exitCode, 0, run.stderr)
  const upstream = upstreamRequestWith(harness.fake.requests, 'aws cli, allowed')
  t.equal(upstream.region, 'us-west-2')
  t.equal(upstream.operation, 'Converse')
  t.same(JSON.parse(run.stdout), converseResponse({ text: upstream.response?.text ?? '', inputTokens: countInputTokens(upstream.body) }))
})

t.test('aws bedrock-runtime converse prints the AccessDeniedException message for a denied model', async (t) => {
  const run = await converse('eu-west-2', DENIED_MODEL, 'Please answer (aws cli, denied)')
  t.equal(run.exitCode, CLI_FAILURE_EXIT_CODE)
  t.equal(run.stdout, '')
  t.match(run.stderr, 'An error occurred (AccessDeniedException) when calling the Converse operation: ')
  t.match(run.stderr, 'inference-profile prefix "eu" is not in allow.inferenceProfilePrefixes')
  t.equal(harness.fake.requests.filter((request) => request.body.includes('aws cli, denied')).length, 0)
  const refused = auditLines(harness).filter((line) => line.modelId === DENIED_MODEL)
  t.equal(refused.length, 1, 'the CLI did not retry')
  t.match(refused[0], { client: SIGV4_CLIENT.name, region: 'eu-west-2', decision: 'denied', reason: 'PROFILE_PREFIX_NOT_ALLOWED' })
})
