import t from 'tap'
import {
  ApplyGuardrailCommand,
  ConverseCommand,
  ConverseStreamCommand,
  InvokeModelCommand,
  StartAsyncInvokeCommand,
  type BedrockRuntimeClient
} from '@aws-sdk/client-bedrock-runtime'
import { FAKE_ACCOUNT_ID, sendSigned } from '../support/fake-bedrock/index.ts'
import { SDK_TRANSPORTS, gatewayClient, inProcessLimitsYaml } from '../support/gateway-clients.ts'
import { NARROW_CLIENT, SIGV4_CLIENT, startGatewayHarness } from '../support/gateway-harness.ts'

const MESSAGES = [{ role: 'user' as const, content: [{ text: 'hi' }] }]
const ANTHROPIC_BODY = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] })
const EU_GUARDRAIL_ARN = `arn:aws:bedrock:eu-west-2:${FAKE_ACCOUNT_ID}:guardrail/abc123def456`
const ASYNC_OUTPUT = { s3OutputDataConfig: { s3Uri: 's3://bucket/out/' } }

interface Denial {
  readonly title: string
  readonly caller: typeof SIGV4_CLIENT | typeof NARROW_CLIENT
  readonly region: string
  readonly send: (client: BedrockRuntimeClient) => Promise<unknown>
  readonly error: string
  /** The start of the message: `<ErrorType>: <REASON_CODE>: `. */
  readonly reason: string
}

const converse = (modelId: string) => async (client: BedrockRuntimeClient) => client.send(new ConverseCommand({ modelId, messages: MESSAGES }))

const DENIALS: Denial[] = [
  {
    title: 'an eu. profile called from eu-west-2 when only us. is allowed',
    caller: SIGV4_CLIENT,
    region: 'eu-west-2',
    send: converse('eu.anthropic.claude-3-7-sonnet-20250219-v1:0'),
    error: 'AccessDeniedException',
    reason: 'PROFILE_PREFIX_NOT_ALLOWED'
  },
  {
    title: 'a global. profile',
    caller: SIGV4_CLIENT,
    region: 'us-east-1',
    send: converse('global.anthropic.claude-sonnet-4-20250514-v1:0'),
    error: 'AccessDeniedException',
    reason: 'GLOBAL_PROFILE_NOT_ALLOWED'
  },
  {
    title: 'a region outside the allowlist (eu-central-1)',
    caller: SIGV4_CLIENT,
    region: 'eu-central-1',
    send: converse('anthropic.claude-3-haiku-20240307-v1:0'),
    error: 'AccessDeniedException',
    reason: 'REGION_NOT_ALLOWED'
  },
  {
    title: 'a foundation-model ARN in another region than the one signed for',
    caller: SIGV4_CLIENT,
    region: 'us-east-1',
    send: converse('arn:aws:bedrock:eu-west-2::foundation-model/anthropic.claude-3-haiku-20240307-v1:0'),
    error: 'AccessDeniedException',
    reason: 'ARN_REGION_MISMATCH'
  },
  {
    title: 'the narrowed client using a us. profile from its own region',
    caller: NARROW_CLIENT,
    region: 'eu-west-2',
    send: converse('us.anthropic.claude-3-5-sonnet-20241022-v2:0'),
    error: 'AccessDeniedException',
    reason: 'PROFILE_PREFIX_NOT_ALLOWED'
  },
  {
    title: 'the narrowed client calling us-east-1, which only the global allowlist has',
    caller: NARROW_CLIENT,
    region: 'us-east-1',
    send: converse('anthropic.claude-3-haiku-20240307-v1:0'),
    error: 'AccessDeniedException',
    reason: 'REGION_NOT_ALLOWED'
  },
  {
    title: 'InvokeModel with a guardrail ARN in another region (X-Amzn-Bedrock-GuardrailIdentifier header)',
    caller: SIGV4_CLIENT,
    region: 'us-east-1',
    send: async (client) => client.send(new InvokeModelCommand({
      modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
      body: ANTHROPIC_BODY,
      contentType: 'application/json',
      guardrailIdentifier: EU_GUARDRAIL_ARN,
      guardrailVersion: '1'
    })),
    error: 'AccessDeniedException',
    reason: 'GUARDRAIL_REGION_MISMATCH'
  },
  {
    title: 'ConverseStream with a guardrail ARN in another region (guardrailConfig in the body)',
    caller: SIGV4_CLIENT,
    region: 'us-east-1',
    send: async (client) => client.send(new ConverseStreamCommand({
      modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
      messages: MESSAGES,
      guardrailConfig: { guardrailIdentifier: EU_GUARDRAIL_ARN, guardrailVersion: '1' }
    })),
    error: 'AccessDeniedException',
    reason: 'GUARDRAIL_REGION_MISMATCH'
  },
  {
    title: 'ApplyGuardrail on a guardrail ARN in another region',
    caller: SIGV4_CLIENT,
    region: 'us-east-1',
    send: async (client) => client.send(new ApplyGuardrailCommand({
      guardrailIdentifier: EU_GUARDRAIL_ARN,
      guardrailVersion: '1',
      source: 'INPUT',
      content: [{ text: { text: 'hi' } }]
    })),
    error: 'AccessDeniedException',
    reason: 'GUARDRAIL_REGION_MISMATCH'
  },
  {
    title: 'StartAsyncInvoke whose body names an eu. profile',
    caller: SIGV4_CLIENT,
    region: 'eu-west-2',
    send: async (client) => client.send(new StartAsyncInvokeCommand({
      modelId: 'eu.amazon.nova-reel-v1:0',
      modelInput: { taskType: 'TEXT_VIDEO' },
      outputDataConfig: ASYNC_OUTPUT
    })),
    error: 'AccessDeniedException',
    reason: 'PROFILE_PREFIX_NOT_ALLOWED'
  },
  {
    title: 'a model id that is not a model id (a space in it)',
    caller: SIGV4_CLIENT,
    region: 'us-east-1',
    send: converse('anthropic.claude 3'),
    error: 'ValidationException',
    reason: 'MALFORMED_REQUEST'
  }
]

for (const transport of SDK_TRANSPORTS) {
  t.test(`over ${transport}`, async (t) => {
    for (const denial of DENIALS) {
      t.test(`${denial.title}: ${denial.error} ${denial.reason}, nothing forwarded`, async (t) => {
        const { fake, gateway } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
        const client = gatewayClient(t, transport, gateway.url, { region: denial.region, credentials: denial.caller })
        await t.rejects(denial.send(client), {
          name: denial.error,
          message: new RegExp(`^${denial.error}: ${denial.reason}: `),
          $metadata: { httpStatusCode: denial.error === 'ValidationException' ? 400 : 403 }
        })
        t.equal(fake.requests.length, 0, 'the fake Bedrock recorded nothing')
      })
    }
  })
}

t.test('a path that is no Bedrock operation: 404 UnknownOperationException in Bedrock\'s shape, nothing forwarded', async (t) => {
  const { fake, gateway } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
  const response = await sendSigned(gateway.url, {
    method: 'POST',
    path: '/model/anthropic.claude-3-haiku-20240307-v1%3A0/summarize',
    region: 'us-east-1',
    credentials: SIGV4_CLIENT,
    headers: { 'content-type': 'application/json' },
    body: '{}'
  })
  t.equal(response.status, 404)
  t.equal(response.headers['x-amzn-errortype'], 'UnknownOperationException')
  t.match(JSON.parse(response.body.toString('utf8')), { message: /^UnknownOperationException: UNKNOWN_OPERATION: / })
  t.equal(fake.requests.length, 0)
})
