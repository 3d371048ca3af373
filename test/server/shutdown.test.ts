/**
 * SIGTERM on the real `bedrock-geofence serve` process, as a container runtime or Kubernetes sends it, with streams
 * running through it to the fake Bedrock.
 */
import { connect } from 'node:net'
import t from 'tap'
import type { Test } from 'tap'
import { ConverseCommand, ConverseStreamCommand, type BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime'
import { DEFAULT_REPLY_TEXT, startFakeBedrock } from '../support/fake-bedrock/index.ts'
import { writeConfig } from '../support/config-file.ts'
import { SDK_TRANSPORTS, gatewayClient, inProcessLimitsYaml } from '../support/gateway-clients.ts'
import { SIGV4_CLIENT, startGatewayHarness, testConfigYaml } from '../support/gateway-harness.ts'
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.ts'

const CLAUDE = 'anthropic.claude-3-haiku-20240307-v1:0'
const MESSAGES = [{ role: 'user' as const, content: [{ text: 'a long story, please' }] }]
const STREAMS = 20
/** The default reply's dozen frames at this pace keep every stream running for about a second after SIGTERM. */
const PACED_FRAME_DELAY_MS = 80
const GRACE_SECONDS = 10
/** Frames so slow that a stream started now is still running when a one-second grace period ends. */
const SLOW_FRAME_DELAY_MS = 400
const SHORT_GRACE_SECONDS = 1
const READINESS_POLL_MS = 10
/** Bedrock "thinking" about a long non-streaming answer for longer than the grace period. */
const SLOW_HEADERS_MS = 10_000
/** A second signal must end the drain long before the grace period would have. */
const SECOND_SIGNAL_WITHIN_MS = 3000

interface StreamResult {
  readonly text: string
  readonly metadataSeen: boolean
  readonly completedAt: number
  readonly error?: { readonly name: string; readonly message: string }
  readonly eventsBeforeError: number
}

/** Starts a ConverseStream; resolves `started` at its first event and `result` when it ends, however it ends. */
async function openStream (client: BedrockRuntimeClient): Promise<{ result: Promise<StreamResult> }> {
  const reply = await client.send(new ConverseStreamCommand({ modelId: CLAUDE, messages: MESSAGES }))
  if (reply.stream === undefined) throw new Error('a ConverseStream reply without a stream')
  const iterator = reply.stream[Symbol.asyncIterator]()
  const first = await iterator.next()
  const result = (async (): Promise<StreamResult> => {
    let text = ''
    let metadataSeen = false
    let events = first.done === true ? 0 : 1
    try {
      for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
        events++
        text += next.value.contentBlockDelta?.delta?.text ?? ''
        if (next.value.metadata !== undefined) metadataSeen = true
      }
      return { text, metadataSeen, completedAt: Date.now(), eventsBeforeError: events }
    } catch (error) {
      const { name, message } = error as Error
      return { text, metadataSeen, completedAt: Date.now(), error: { name, message }, eventsBeforeError: events }
    }
  })()
  return { result }
}

async function readyStatus (gateway: GatewayProcess): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${gateway.adminUrl}/readyz`)
  return { status: response.status, body: await response.json() as Record<string, unknown> }
}

/** Polls /readyz until it turns 503 and returns how long that took after `since`. */
async function notReadyAfter (gateway: GatewayProcess, since: number): Promise<{ afterMs: number; body: Record<string, unknown> }> {
  for (;;) {
    const { status, body } = await readyStatus(gateway)
    if (status === 503) return { afterMs: Date.now() - since, body }
    await new Promise((resolve) => setTimeout(resolve, READINESS_POLL_MS))
  }
}

/** Resolves with the error code a fresh TCP connection to `port` gets, or `connected`. */
function connectOutcome (port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => { socket.destroy(); resolve('connected') })
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
  })
}

async function gatewayWithPacedFake (t: Test, frameDelayMs: number, graceSeconds: number): Promise<GatewayProcess> {
  const fake = await startFakeBedrock({ frameDelayMs })
  t.teardown(() => fake.close())
  const configPath = writeConfig(t, testConfigYaml(fake.url, `shutdown: { graceSeconds: ${graceSeconds} }\n`))
  return startGatewayProcess(t, configPath)
}

for (const transport of SDK_TRANSPORTS) {
  t.test(`over ${transport}: SIGTERM lets ${STREAMS} running streams finish, refuses new connections, and exits 0`, async (t) => {
    const gateway = await gatewayWithPacedFake(t, PACED_FRAME_DELAY_MS, GRACE_SECONDS)
    t.equal((await readyStatus(gateway)).status, 200, 'ready before the signal')
    const client = gatewayClient(t, transport, gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
    const streams = await Promise.all(Array.from({ length: STREAMS }, () => openStream(client)))

    const signalledAt = Date.now()
    gateway.kill('SIGTERM')
    const notReady = await notReadyAfter(gateway, signalledAt)
    t.match(notReady.body, { ready: false, checks: { draining: { ok: false } } }, '/readyz says the gateway is draining')
    t.equal(await connectOutcome(gateway.port), 'ECONNREFUSED', 'a new connection to the Bedrock port is refused')

    const results = await Promise.all(streams.map(async ({ result }) => result))
    const firstCompletion = Math.min(...results.map(({ completedAt }) => completedAt))
    t.ok(signalledAt + notReady.afterMs < firstCompletion, `readiness turned false (${notReady.afterMs} ms after SIGTERM) while every stream was still running`)
    t.same(results.map(({ error }) => error), Array(STREAMS).fill(undefined), 'no stream failed')
    t.ok(results.every(({ text, metadataSeen }) => metadataSeen && DEFAULT_REPLY_TEXT.endsWith(text) && text.length > 0),
      'every stream got the rest of its reply and its closing metadata event')

    const exit = await gateway.exited
    t.same(exit, { code: 0, signal: null }, 'the process exits 0')
    t.ok(Date.now() - signalledAt < GRACE_SECONDS * 1000, 'and it did so once the streams were done, well within the grace period')
    t.ok(gateway.logLines.some((line) => line.msg === 'bedrock-geofence stopped'), 'it logs that it stopped')
  })
}

t.test('streams still running when a short grace period ends get a serviceUnavailableException the SDK throws', async (t) => {
  const gateway = await gatewayWithPacedFake(t, SLOW_FRAME_DELAY_MS, SHORT_GRACE_SECONDS)
  const client = gatewayClient(t, 'HTTP/1.1 (NodeHttpHandler)', gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
  const streams = await Promise.all(Array.from({ length: 3 }, () => openStream(client)))
  const signalledAt = Date.now()
  gateway.kill('SIGTERM')
  const results = await Promise.all(streams.map(async ({ result }) => result))
  for (const result of results) {
    t.equal(result.error?.name, 'ServiceUnavailableException', 'the stream ends with the exception clients retry')
    t.match(result.error?.message, /shutting down/)
    t.ok(result.completedAt - signalledAt >= SHORT_GRACE_SECONDS * 1000, 'not before the grace period was over')
    t.ok(result.eventsBeforeError > 1, 'events kept flowing during the grace period')
  }
  t.same(await gateway.exited, { code: 0, signal: null }, 'the process still exits 0')
  t.ok(gateway.logLines.some((line) => line.msg === 'grace period over: ending the requests still running'))
})

t.test('a second SIGTERM ends the grace period at once: running streams get their exception event, exit 0', async (t) => {
  const gateway = await gatewayWithPacedFake(t, SLOW_FRAME_DELAY_MS, GRACE_SECONDS)
  const client = gatewayClient(t, 'HTTP/1.1 (NodeHttpHandler)', gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
  const { result } = await openStream(client)
  const signalledAt = Date.now()
  gateway.kill('SIGTERM')
  await gateway.waitForLog((line) => line.msg === 'shutdown requested')
  gateway.kill('SIGTERM')
  const ended = await result
  t.equal(ended.error?.name, 'ServiceUnavailableException')
  t.ok(ended.completedAt - signalledAt < SECOND_SIGNAL_WITHIN_MS, `ended ${ended.completedAt - signalledAt} ms after the first signal, not after ${GRACE_SECONDS} s`)
  t.same(await gateway.exited, { code: 0, signal: null })
})

t.test('a call still waiting for Bedrock when the grace period ends is answered 503 ServiceUnavailableException', async (t) => {
  const { fake, gateway } = await startGatewayHarness(t, {
    fake: { fault: { kind: 'slowHeaders', delayMs: SLOW_HEADERS_MS } },
    extraYaml: `shutdown: { graceSeconds: ${SHORT_GRACE_SECONDS} }\n${inProcessLimitsYaml()}`
  })
  const client = gatewayClient(t, 'HTTP/1.1 (NodeHttpHandler)', gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
  const call = client.send(new ConverseCommand({ modelId: CLAUDE, messages: MESSAGES }))
  await fake.waitForRequests(1)
  const startedAt = Date.now()
  const stopped = gateway.shutdown()
  await t.rejects(call, { name: 'ServiceUnavailableException', $metadata: { httpStatusCode: 503 } }, 'the caller is told to retry')
  await stopped
  t.ok(Date.now() - startedAt < SLOW_HEADERS_MS, 'the shutdown did not wait for Bedrock\'s answer')
  await fake.waitForClose(0)
  t.pass('the upstream request was aborted')
})
