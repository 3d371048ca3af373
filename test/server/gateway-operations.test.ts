import t, { type Test } from 'tap'
import {
  ApplyGuardrailCommand,
  ConverseCommand,
  ConverseStreamCommand,
  CountTokensCommand,
  GetAsyncInvokeCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  ListAsyncInvokesCommand,
  StartAsyncInvokeCommand
} from '@aws-sdk/client-bedrock-runtime'
import {
  FAKE_ACCOUNT_ID,
  FAKE_LATENCY_MS,
  FAKE_UPSTREAM_CREDENTIALS,
  anthropicMessage,
  anthropicStreamEvents,
  converseResponse,
  converseStreamEvents,
  countInputTokens,
  type RecordedRequest
} from '../support/fake-bedrock/index.ts'
import { SDK_TRANSPORTS, gatewayClient, inProcessLimitsYaml, leakedHeaders } from '../support/gateway-clients.ts'
import { SIGV4_CLIENT, startGatewayHarness } from '../support/gateway-harness.ts'

const US_PROFILE = 'us.anthropic.claude-3-5-sonnet-20241022-v2:0'
const FOUNDATION_MODEL = 'anthropic.claude-3-haiku-20240307-v1:0'
const PROFILE_ARN = `arn:aws:bedrock:us-east-1:${FAKE_ACCOUNT_ID}:inference-profile/${US_PROFILE}`
const FOUNDATION_ARN = `arn:aws:bedrock:us-west-2::foundation-model/${FOUNDATION_MODEL}`
const MESSAGES = [{ role: 'user' as const, content: [{ text: 'What is the capital of France?' }] }]
/** Several MiB of text with every byte value a JSON string may carry raw, so that no chunk boundary is special. */
const LARGE_PROMPT = Array.from({ length: 6 * 1024 }, (_, index) => `${index} ` + 'ü€𝄞 abc'.repeat(100)).join('\n')
const ANTHROPIC_BODY = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] })

/** What every forwarded request must look like at Bedrock: signed by the gateway for the region, nothing of the caller's. */
function assertForwardedByGateway (t: Test, record: RecordedRequest | undefined, region: string): void {
  t.match(record?.signature, { ok: true, accessKeyId: FAKE_UPSTREAM_CREDENTIALS.accessKeyId, region }, 'signed with the gateway\'s own credentials')
  t.same(record === undefined ? undefined : leakedHeaders(record), [], 'no caller-only header reached Bedrock')
  t.equal(record?.headers['user-agent'], 'bedrock-geofence')
}

for (const transport of SDK_TRANSPORTS) {
  t.test(`over ${transport}`, async (t) => {
    t.test('Converse with a us. profile id returns exactly what the fake answered', async (t) => {
      const { fake, gateway } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
      const client = gatewayClient(t, transport, gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
      const reply = await client.send(new ConverseCommand({ modelId: US_PROFILE, messages: MESSAGES }))
      const [record] = fake.requests
      t.same({ output: reply.output, stopReason: reply.stopReason, usage: reply.usage, metrics: reply.metrics },
        converseResponse({ text: fake.replyText, inputTokens: countInputTokens(record?.body ?? Buffer.alloc(0)) }))
      t.equal(record?.path, '/model/us.anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse')
      assertForwardedByGateway(t, record, 'us-east-1')
    })

    t.test('Converse with a foundation model id reaches the fake in the caller\'s region', async (t) => {
      const { fake, gateway } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
      const client = gatewayClient(t, transport, gateway.url, { region: 'us-west-2', credentials: SIGV4_CLIENT })
      const reply = await client.send(new ConverseCommand({ modelId: FOUNDATION_MODEL, messages: MESSAGES }))
      t.equal(reply.output?.message?.content?.[0]?.text, fake.lastResponseText)
      t.equal(fake.requests.length, 1)
      t.equal(fake.requests[0]?.path, '/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse')
      assertForwardedByGateway(t, fake.requests[0], 'us-west-2')
    })

    t.test('Converse with an inference-profile ARN reaches the fake fully percent-encoded', async (t) => {
      const { fake, gateway } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
      const client = gatewayClient(t, transport, gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
      const reply = await client.send(new ConverseCommand({ modelId: PROFILE_ARN, messages: MESSAGES }))
      t.equal(reply.output?.message?.content?.[0]?.text, fake.lastResponseText)
      t.equal(fake.requests[0]?.path,
        `/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A${FAKE_ACCOUNT_ID}%3Ainference-profile%2Fus.anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse`)
      assertForwardedByGateway(t, fake.requests[0], 'us-east-1')
    })

    t.test('a caller with session credentials is served, and its session token never reaches Bedrock', async (t) => {
      const { fake, gateway } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
      const credentials = { ...SIGV4_CLIENT, sessionToken: 'caller-session-token-that-means-nothing-upstream' }
      const client = gatewayClient(t, transport, gateway.url, { region: 'us-east-1', credentials })
      await client.send(new ConverseCommand({ modelId: US_PROFILE, messages: MESSAGES }))
      t.equal(fake.requests.length, 1)
      t.equal(fake.requests[0]?.headers['x-amz-security-token'], undefined)
      assertForwardedByGateway(t, fake.requests[0], 'us-east-1')
    })

    t.test('InvokeModel with a foundation-model ARN returns the fake\'s body byte for byte', async (t) => {
      const { fake, gateway } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
      const client = gatewayClient(t, transport, gateway.url, { region: 'us-west-2', credentials: SIGV4_CLIENT })
      const reply = await client.send(new InvokeModelCommand({ modelId: FOUNDATION_ARN, body: ANTHROPIC_BODY, contentType: 'application/json', accept: 'application/json' }))
      const [record] = fake.requests
      const expected = anthropicMessage({ text: fake.replyText, inputTokens: countInputTokens(Buffer.from(ANTHROPIC_BODY)) }, FOUNDATION_ARN, record?.requestId ?? '')
      t.same(JSON.parse(Buffer.from(reply.body).toString('utf8')), expected)
      t.equal(reply.contentType, 'application/json')
      t.equal(record?.path, '/model/arn%3Aaws%3Abedrock%3Aus-west-2%3A%3Afoundation-model%2Fanthropic.claude-3-haiku-20240307-v1%3A0/invoke')
      t.equal(record?.body.toString('utf8'), ANTHROPIC_BODY, 'the body went upstream unchanged')
      t.equal(record?.headers.accept, 'application/json')
      assertForwardedByGateway(t, record, 'us-west-2')
    })

    t.test('InvokeModel with a body of several MiB reaches Bedrock byte for byte and signed for it', async (t) => {
      const { fake, gateway } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
      const client = gatewayClient(t, transport, gateway.url, { region: 'us-west-2', credentials: SIGV4_CLIENT })
      const body = Buffer.from(JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 100, messages: [{ role: 'user', content: LARGE_PROMPT }] }))
      await client.send(new InvokeModelCommand({ modelId: FOUNDATION_ARN, body, contentType: 'application/json', accept: 'application/json' }))
      const [record] = fake.requests
      t.equal(record?.body.length, body.length)
      t.ok(record?.body.equals(body), 'the body went upstream unchanged')
      t.equal(record?.headers['content-length'], String(body.length))
      assertForwardedByGateway(t, record, 'us-west-2')
    })

    t.test('ConverseStream delivers every event the fake sent, in order', async (t) => {
      const { fake, gateway } = await startGatewayHarness(t, { fake: { frameDelayMs: 1 }, extraYaml: inProcessLimitsYaml() })
      const client = gatewayClient(t, transport, gateway.url, { region: 'us-east-2', credentials: SIGV4_CLIENT })
      const reply = await client.send(new ConverseStreamCommand({ modelId: US_PROFILE, messages: MESSAGES }))
      const received: Array<[string, unknown]> = []
      for await (const event of reply.stream ?? []) {
        received.push(...Object.entries(event) as Array<[string, unknown]>)
      }
      const [record] = fake.requests
      t.same(received, converseStreamEvents({ text: fake.replyText, inputTokens: countInputTokens(record?.body ?? Buffer.alloc(0)) }))
      t.equal(record?.response?.framesSent, received.length)
      assertForwardedByGateway(t, record, 'us-east-2')
    })

    t.test('InvokeModelWithResponseStream delivers every chunk the fake sent', async (t) => {
      const { fake, gateway } = await startGatewayHarness(t, { fake: { frameDelayMs: 1 }, extraYaml: inProcessLimitsYaml() })
      const client = gatewayClient(t, transport, gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
      const reply = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: US_PROFILE, body: ANTHROPIC_BODY, contentType: 'application/json' }))
      const received: unknown[] = []
      for await (const event of reply.body ?? []) received.push(JSON.parse(Buffer.from(event.chunk?.bytes ?? new Uint8Array()).toString('utf8')))
      const [record] = fake.requests
      t.same(received, anthropicStreamEvents({ text: fake.replyText, inputTokens: countInputTokens(Buffer.from(ANTHROPIC_BODY)) }, US_PROFILE, record?.requestId ?? ''))
      t.equal(record?.path, '/model/us.anthropic.claude-3-5-sonnet-20241022-v2%3A0/invoke-with-response-stream')
      assertForwardedByGateway(t, record, 'us-east-1')
    })

    t.test('CountTokens returns the fake\'s count for the converse input', async (t) => {
      const { fake, gateway } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
      const client = gatewayClient(t, transport, gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
      const reply = await client.send(new CountTokensCommand({ modelId: FOUNDATION_MODEL, input: { converse: { messages: MESSAGES } } }))
      const [record] = fake.requests
      const sent = JSON.parse(record?.body.toString('utf8') ?? '{}') as { input: { converse: unknown } }
      t.equal(reply.inputTokens, countInputTokens(Buffer.from(JSON.stringify(sent.input.converse))))
      t.equal(record?.path, '/model/anthropic.claude-3-haiku-20240307-v1%3A0/count-tokens')
      assertForwardedByGateway(t, record, 'us-east-1')
    })

    t.test('ApplyGuardrail with a guardrail ARN in the requested region returns the fake\'s assessment', async (t) => {
      const { fake, gateway } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
      const client = gatewayClient(t, transport, gateway.url, { region: 'eu-west-2', credentials: SIGV4_CLIENT })
      const guardrailArn = `arn:aws:bedrock:eu-west-2:${FAKE_ACCOUNT_ID}:guardrail/abc123def456`
      const reply = await client.send(new ApplyGuardrailCommand({
        guardrailIdentifier: guardrailArn,
        guardrailVersion: '1',
        source: 'INPUT',
        content: [{ text: { text: 'twelve chars' } }]
      }))
      t.equal(reply.action, 'NONE')
      t.same(reply.guardrailCoverage, { textCharacters: { guarded: 12, total: 12 } })
      t.equal(reply.assessments?.[0]?.invocationMetrics?.guardrailProcessingLatency, FAKE_LATENCY_MS)
      t.equal(fake.requests[0]?.path, `/guardrail/arn%3Aaws%3Abedrock%3Aeu-west-2%3A${FAKE_ACCOUNT_ID}%3Aguardrail%2Fabc123def456/version/1/apply`)
      assertForwardedByGateway(t, fake.requests[0], 'eu-west-2')
    })

    t.test('StartAsyncInvoke returns the fake\'s invocation ARN', async (t) => {
      const { fake, gateway } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
      const client = gatewayClient(t, transport, gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
      const reply = await client.send(new StartAsyncInvokeCommand({
        modelId: 'amazon.nova-reel-v1:0',
        modelInput: { taskType: 'TEXT_VIDEO', textToVideoParams: { text: 'waves' } },
        outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://bucket/out/' } }
      }))
      t.match(reply.invocationArn, new RegExp(`^arn:aws:bedrock:us-east-1:${FAKE_ACCOUNT_ID}:async-invoke/[a-z0-9]{12}$`))
      t.equal(fake.requests[0]?.path, '/async-invoke')
      t.match(JSON.parse(fake.requests[0]?.body.toString('utf8') ?? '{}'), { modelId: 'amazon.nova-reel-v1:0' })
      assertForwardedByGateway(t, fake.requests[0], 'us-east-1')
    })

    t.test('GetAsyncInvoke and ListAsyncInvokes describe the invocation the fake started', async (t) => {
      const { fake, gateway } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
      const client = gatewayClient(t, transport, gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
      const { invocationArn } = await client.send(new StartAsyncInvokeCommand({
        modelId: 'amazon.nova-reel-v1:0',
        modelInput: { taskType: 'TEXT_VIDEO' },
        outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://bucket/out/' } }
      }))
      const status = await client.send(new GetAsyncInvokeCommand({ invocationArn }))
      const list = await client.send(new ListAsyncInvokesCommand({ maxResults: 5, statusEquals: 'InProgress' }))
      t.match(status, { invocationArn, status: 'InProgress', modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-reel-v1:0' })
      t.same(list.asyncInvokeSummaries?.map((summary) => summary.invocationArn), [invocationArn])
      t.equal(fake.requests[1]?.path, `/async-invoke/${encodeURIComponent(invocationArn ?? '')}`)
      t.equal(fake.requests[2]?.path, '/async-invoke?maxResults=5&statusEquals=InProgress')
      for (const record of fake.requests) assertForwardedByGateway(t, record, 'us-east-1')
    })
  })
}
