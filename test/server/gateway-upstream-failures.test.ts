import t from 'tap'
import { ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime'
import { sendSigned } from '../support/fake-bedrock/index.ts'
import { SDK_TRANSPORTS, gatewayClient, inProcessLimitsYaml } from '../support/gateway-clients.ts'
import { SIGV4_CLIENT, startGatewayHarness } from '../support/gateway-harness.ts'

const CLAUDE = 'anthropic.claude-3-haiku-20240307-v1:0'
const MESSAGES = [{ role: 'user' as const, content: [{ text: 'hi' }] }]
const CONVERSE_PATH = '/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse'
const THROTTLED_MESSAGE = 'Too many requests, please wait before trying again.'
const MODEL_FAILED_MESSAGE = 'The model stopped halfway through its reply.'
const SHORT_HEADERS_TIMEOUT_MS = 200
const SLOW_HEADERS_DELAY_MS = 2000

const converse = new ConverseCommand({ modelId: CLAUDE, messages: MESSAGES })
const converseStream = new ConverseStreamCommand({ modelId: CLAUDE, messages: MESSAGES })

for (const transport of SDK_TRANSPORTS) {
  t.test(`over ${transport}`, async (t) => {
    t.test('Bedrock\'s 429 ThrottlingException reaches the SDK as ThrottlingException, with Bedrock\'s message', async (t) => {
      const { fake, gateway } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
      fake.nextFault({ kind: 'error', errorType: 'ThrottlingException', message: THROTTLED_MESSAGE })
      const client = gatewayClient(t, transport, gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
      const error: unknown = await client.send(converse).catch((thrown: unknown) => thrown)
      t.match(error, { name: 'ThrottlingException', message: THROTTLED_MESSAGE, $metadata: { httpStatusCode: 429 } })
      const bedrockRequestId = fake.requests[0]?.requestId
      t.type(bedrockRequestId, 'string')
      t.match(error, { $metadata: { requestId: bedrockRequestId } }, 'the request id is Bedrock\'s')
    })

    t.test('Bedrock\'s 500 InternalServerException reaches the SDK as InternalServerException', async (t) => {
      const { fake, gateway } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
      fake.nextFault({ kind: 'error', errorType: 'InternalServerException' })
      const client = gatewayClient(t, transport, gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
      await t.rejects(client.send(converse), { name: 'InternalServerException', $metadata: { httpStatusCode: 500 } })
      t.equal(fake.requests.length, 1)
    })

    t.test('Bedrock answering slower than upstream.headersTimeoutMs: 504 ModelTimeoutException', async (t) => {
      const { fake, gateway, config } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
      gateway.apply({ ...config, upstream: { ...config.upstream, headersTimeoutMs: SHORT_HEADERS_TIMEOUT_MS } })
      fake.nextFault({ kind: 'slowHeaders', delayMs: SLOW_HEADERS_DELAY_MS })
      const client = gatewayClient(t, transport, gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
      await t.rejects(client.send(converse), { name: 'ModelTimeoutException', $metadata: { httpStatusCode: 504 } })
      t.equal(fake.requests[0]?.response, undefined, 'the gateway gave up before the fake answered')
    })

    t.test('a connection reset mid-stream makes the SDK iterator throw InternalServerException, not end quietly', async (t) => {
      const { fake, gateway } = await startGatewayHarness(t, { fake: { frameDelayMs: 1 }, extraYaml: inProcessLimitsYaml() })
      fake.nextFault({ kind: 'reset', afterFrames: 2 })
      const client = gatewayClient(t, transport, gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
      const reply = await client.send(converseStream)
      const received: string[] = []
      await t.rejects(async () => {
        for await (const event of reply.stream ?? []) received.push(...Object.keys(event))
      }, { name: 'InternalServerException' })
      t.same(received, ['messageStart', 'contentBlockDelta'], 'the events before the reset arrived')
    })

    t.test('an exception frame from Bedrock mid-stream reaches the SDK iterator as that exception', async (t) => {
      const { fake, gateway } = await startGatewayHarness(t, { fake: { frameDelayMs: 1 }, extraYaml: inProcessLimitsYaml() })
      fake.nextFault({ kind: 'streamException', afterFrames: 3, exceptionType: 'modelStreamErrorException', message: MODEL_FAILED_MESSAGE })
      const client = gatewayClient(t, transport, gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
      const reply = await client.send(converseStream)
      let events = 0
      await t.rejects(async () => {
        for await (const _event of reply.stream ?? []) events++
      }, { name: 'ModelStreamErrorException', message: MODEL_FAILED_MESSAGE })
      t.equal(events, 3)
    })
  })
}

t.test('an upstream error answer passes through unchanged: status, error type, request id and body', async (t) => {
  const { fake, gateway } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
  fake.nextFault({ kind: 'error', errorType: 'ThrottlingException', message: THROTTLED_MESSAGE })
  const response = await sendSigned(gateway.url, {
    method: 'POST',
    path: CONVERSE_PATH,
    region: 'us-east-1',
    credentials: SIGV4_CLIENT,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ messages: MESSAGES })
  })
  t.equal(response.status, 429)
  t.equal(response.headers['x-amzn-errortype'], 'ThrottlingException')
  t.equal(response.headers['x-amzn-requestid'], fake.requests[0]?.requestId)
  t.equal(response.body.toString('utf8'), JSON.stringify({ message: THROTTLED_MESSAGE }))
})
