import t from 'tap'
import { ConverseCommand, ConverseStreamCommand, InvokeModelWithResponseStreamCommand } from '@aws-sdk/client-bedrock-runtime'
import { SDK_TRANSPORTS, gatewayClient, inProcessLimitsYaml } from '../support/gateway-clients.ts'
import { parsedLogLines, SIGV4_CLIENT, startGatewayHarness, waitForAuditLines } from '../support/gateway-harness.ts'

const CLAUDE = 'anthropic.claude-3-haiku-20240307-v1:0'
const MESSAGES = [{ role: 'user' as const, content: [{ text: 'stream, please' }] }]
const ANTHROPIC_BODY = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] })
/** Slow enough that a buffering gateway would hand over the first event only after the last frame left the fake. */
const PACED_FRAME_DELAY_MS = 50
/** Long enough that an aborted stream is certainly still running when the caller leaves. */
const SLOW_FRAME_DELAY_MS = 200
/** Far longer than the test waits for the close: the fake is still thinking when the caller leaves. */
const SLOW_HEADERS_DELAY_MS = 5000
const CONCURRENT_STREAMS = 200
const CLOSE_WITHIN_MS = 1000
/** pino's level number for `error`, at which the gateway logs a failure it did not anticipate. */
const ERROR_LEVEL = 50

for (const transport of SDK_TRANSPORTS) {
  t.test(`over ${transport}`, async (t) => {
    t.test('ConverseStream: the first event reaches the SDK before the fake has sent the last frame', async (t) => {
      const { fake, gateway } = await startGatewayHarness(t, { fake: { frameDelayMs: PACED_FRAME_DELAY_MS }, extraYaml: inProcessLimitsYaml() })
      const client = gatewayClient(t, transport, gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
      const reply = await client.send(new ConverseStreamCommand({ modelId: CLAUDE, messages: MESSAGES }))
      let firstEventAt: number | undefined
      for await (const _event of reply.stream ?? []) firstEventAt ??= Date.now()
      const lastFrameSentAt = fake.requests[0]?.framesSentAt.at(-1)
      t.ok(firstEventAt !== undefined && lastFrameSentAt !== undefined && firstEventAt < lastFrameSentAt,
        `first event at ${firstEventAt}, last frame sent at ${lastFrameSentAt}`)
    })

    t.test('InvokeModelWithResponseStream: the first chunk reaches the SDK before the fake has sent the last frame', async (t) => {
      const { fake, gateway } = await startGatewayHarness(t, { fake: { frameDelayMs: PACED_FRAME_DELAY_MS }, extraYaml: inProcessLimitsYaml() })
      const client = gatewayClient(t, transport, gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
      const reply = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: CLAUDE, body: ANTHROPIC_BODY, contentType: 'application/json' }))
      let firstChunkAt: number | undefined
      for await (const _event of reply.body ?? []) firstChunkAt ??= Date.now()
      const lastFrameSentAt = fake.requests[0]?.framesSentAt.at(-1)
      t.ok(firstChunkAt !== undefined && lastFrameSentAt !== undefined && firstChunkAt < lastFrameSentAt,
        `first chunk at ${firstChunkAt}, last frame sent at ${lastFrameSentAt}`)
    })

    t.test('a caller that aborts mid-stream: the fake sees its connection closed within a second, the stream cut short', async (t) => {
      const { fake, gateway } = await startGatewayHarness(t, { fake: { frameDelayMs: SLOW_FRAME_DELAY_MS }, extraYaml: inProcessLimitsYaml() })
      const client = gatewayClient(t, transport, gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
      const abort = new AbortController()
      const reply = await client.send(new ConverseStreamCommand({ modelId: CLAUDE, messages: MESSAGES }), { abortSignal: abort.signal })
      let abortedAt = 0
      const readUntilAborted = async (): Promise<void> => {
        for await (const _event of reply.stream ?? []) {
          abortedAt = Date.now()
          abort.abort()
        }
      }
      // NodeHttpHandler's iterator throws an AbortError; the HTTP/2 handler's just ends. Either way the caller left.
      await readUntilAborted().catch(() => {})
      const record = await fake.waitForClose(0, CLOSE_WITHIN_MS)
      t.ok((record.closedAt ?? Infinity) - abortedAt < CLOSE_WITHIN_MS, `closed ${(record.closedAt ?? Infinity) - abortedAt} ms after the abort`)
      t.ok(record.response !== undefined && record.response.completedAt === undefined, 'the fake never finished the stream')
    })

    t.test('a caller that gives up before Bedrock answers: the fake sees its connection closed within a second', async (t) => {
      const harness = await startGatewayHarness(t, { fake: { fault: { kind: 'slowHeaders', delayMs: SLOW_HEADERS_DELAY_MS } }, extraYaml: inProcessLimitsYaml() })
      const { fake, gateway } = harness
      const client = gatewayClient(t, transport, gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
      const abort = new AbortController()
      const reply = client.send(new ConverseCommand({ modelId: CLAUDE, messages: MESSAGES }), { abortSignal: abort.signal })
      await fake.waitForRequests(1)
      abort.abort()
      await t.rejects(reply, { name: 'AbortError' })
      const record = await fake.waitForClose(0, CLOSE_WITHIN_MS)
      t.equal(record.response, undefined, 'the fake never got to answer')
      const audit = await waitForAuditLines(harness, 0, 1)
      t.equal(audit.length, 1, 'one audit line')
      t.match(audit[0], { client: SIGV4_CLIENT.name, operation: 'Converse', decision: 'allowed' })
      t.equal(audit[0]?.status, undefined, 'no status: nobody was left to answer')
      t.same(parsedLogLines(harness).filter((line) => line.level === ERROR_LEVEL), [], 'a caller leaving is not logged as a failure')
    })
  })
}

t.test(`${CONCURRENT_STREAMS} concurrent streams all start: none waits for another to finish`, async (t) => {
  // Every stream sends its first frame and then stays open, so any cap on upstream connections would leave the
  // streams beyond it waiting forever.
  const { fake, gateway } = await startGatewayHarness(t, { fake: { fault: { kind: 'hang', afterFrames: 1 } }, extraYaml: inProcessLimitsYaml() })
  const client = gatewayClient(t, 'HTTP/1.1 (NodeHttpHandler)', gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
  const abort = new AbortController()
  const firstEvents = await Promise.all(Array.from({ length: CONCURRENT_STREAMS }, async () => {
    const reply = await client.send(new ConverseStreamCommand({ modelId: CLAUDE, messages: MESSAGES }), { abortSignal: abort.signal })
    // Only the first event is read; the stream stays open until the abort below.
    const first = await reply.stream?.[Symbol.asyncIterator]().next()
    return Object.keys(first?.value ?? {})[0]
  }))
  t.same(new Set(firstEvents), new Set(['messageStart']), 'every caller got its first event')
  t.equal(fake.requests.length, CONCURRENT_STREAMS)
  t.ok(fake.requests.every((record) => record.response?.completedAt === undefined), 'all of them were open at the same time')
  abort.abort()
  await Promise.all(fake.requests.map((record) => fake.waitForClose(record.index)))
})
