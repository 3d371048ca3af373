/**
 * Load shedding: past `limits.maxConcurrentStreams`, or with the event loop lagging past
 * `limits.maxEventLoopDelayMs`, the gateway answers 503 ServiceUnavailableException in Bedrock's shape, which the AWS
 * SDKs report by name and retry, and forwards nothing.
 */
import t from 'tap'
import { ConverseCommand, ConverseStreamCommand, type BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime'
import type { RunningGateway } from '../../src/server/serve.ts'
import { sendSigned } from '../support/fake-bedrock/index.ts'
import { gatewayClient } from '../support/gateway-clients.ts'
import { SIGV4_CLIENT, startGatewayHarness } from '../support/gateway-harness.ts'
import { parseExposition, sumOf, valueOf } from '../support/prometheus-text.ts'

const CLAUDE = 'anthropic.claude-3-haiku-20240307-v1:0'
const MESSAGES = [{ role: 'user' as const, content: [{ text: 'hi' }] }]
const STREAM_LIMIT = 2
/** Busy for this long, over and over: a mean event-loop delay far above the limit below. */
const BUSY_SLICE_MS = 100
/** Busy for longer than the gateway's one-second sampling window, over and over: some windows end with no delay sample. */
const LONG_BUSY_SLICE_MS = 1300
const EVENT_LOOP_LIMIT_MS = 30
/** A few of the gateway's one-second sampling windows. */
const SHED_WITHIN_MS = 8000
/** The highest limit the config accepts, so far above any stall below that nothing may be shed. */
const HIGHEST_EVENT_LOOP_LIMIT_MS = 60_000
const SINGLE_STALL_MS = 300
/** Calls spread over the windows after the stall: the one it falls in and the next. */
const CALLS_AFTER_STALL = 12
const CALL_SPACING_MS = 200
const LONG_STALLS_MS = 4000
const RECOVERY_WAIT_MS = 5000
const POLL_MS = 200

async function sdkOutcome (call: Promise<unknown>): Promise<{ name: string; status?: number }> {
  return call.then(
    () => ({ name: 'ok' }),
    (error: Error & { $metadata?: { httpStatusCode?: number } }) => ({ name: error.name, status: error.$metadata?.httpStatusCode })
  )
}

/** A raw signed ConverseStream, to look at the wire: status, x-amzn-ErrorType and the body's own error name. */
async function rawConverseStream (gateway: RunningGateway): Promise<{ status: number; errorType: unknown; body: unknown }> {
  const response = await sendSigned(gateway.url, {
    method: 'POST',
    path: `/model/${encodeURIComponent(CLAUDE)}/converse-stream`,
    region: 'us-east-1',
    credentials: SIGV4_CLIENT,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ messages: MESSAGES })
  })
  return { status: response.status, errorType: response.headers['x-amzn-errortype'], body: JSON.parse(response.body.toString('utf8')) }
}

async function openStream (client: BedrockRuntimeClient, abortSignal: AbortSignal): Promise<void> {
  const reply = await client.send(new ConverseStreamCommand({ modelId: CLAUDE, messages: MESSAGES }), { abortSignal })
  await reply.stream?.[Symbol.asyncIterator]().next()
}

async function metrics (gateway: RunningGateway) {
  return parseExposition(await (await fetch(`${gateway.adminUrl}/metrics`)).text())
}

function busyFor (ms: number): void {
  const until = Date.now() + ms
  while (Date.now() < until) { /* busy */ }
}

/** Keeps this process's event loop (the gateway's too) busy in slices until stopped. */
function holdEventLoop (sliceMs: number): { stop (): void } {
  let running = true
  const slice = (): void => {
    if (!running) return
    busyFor(sliceMs)
    setTimeout(slice, 0)
  }
  setTimeout(slice, 0)
  return { stop: () => { running = false } }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** The loop blocked in long slices, each longer than a sampling window, for a few windows. */
async function holdEventLoopFor (): Promise<void> {
  const pressure = holdEventLoop(LONG_BUSY_SLICE_MS)
  await sleep(LONG_STALLS_MS)
  pressure.stop()
}

t.test(`past ${STREAM_LIMIT} concurrent streams, the next stream is a Bedrock-shaped 503 and reaches nothing`, async (t) => {
  const { fake, gateway, logLines } = await startGatewayHarness(t, {
    // Each stream sends its first frame and then stays open until the caller leaves.
    fake: { fault: { kind: 'hang', afterFrames: 1 } },
    extraYaml: `limits: { maxConcurrentStreams: ${STREAM_LIMIT}, maxEventLoopDelayMs: 0 }`
  })
  const client = gatewayClient(t, 'HTTP/1.1 (NodeHttpHandler)', gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
  const first = new AbortController()
  const second = new AbortController()
  t.teardown(() => { first.abort(); second.abort() })
  await openStream(client, first.signal)
  await openStream(client, second.signal)

  const third = await sdkOutcome(client.send(new ConverseStreamCommand({ modelId: CLAUDE, messages: MESSAGES })))
  t.same(third, { name: 'ServiceUnavailableException', status: 503 }, 'the SDK reports ServiceUnavailableException')
  t.same(await rawConverseStream(gateway), {
    status: 503,
    errorType: 'ServiceUnavailableException',
    body: { __type: 'ServiceUnavailableException', message: 'Too many concurrent streams through the gateway. Retry the request later.' }
  }, 'on the wire: the status, x-amzn-ErrorType and the name in the body, as Bedrock sends them')
  t.equal(fake.requests.length, STREAM_LIMIT, 'nothing reached Bedrock for the shed streams')

  fake.setFault(undefined)
  t.equal((await sdkOutcome(client.send(new ConverseCommand({ modelId: CLAUDE, messages: MESSAGES })))).name, 'ok',
    'the limit is on streams: a plain call still goes through')

  const samples = await metrics(gateway)
  t.equal(valueOf(samples, 'bedrock_geofence_shed_requests_total', { cause: 'stream_limit' }), 2)
  t.equal(valueOf(samples, 'bedrock_geofence_requests_total', { operation: 'ConverseStream', decision: 'shed' }), 2)
  t.equal(sumOf(samples, 'bedrock_geofence_upstream_responses_total', { status: 'none' }) +
    sumOf(samples, 'bedrock_geofence_upstream_responses_total', { status: '503' }), 0, 'a shed stream does not look like an upstream failure')
  t.match(logLines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.decision === 'shed'),
    { level: 40, shedCause: 'stream_limit', errorType: 'ServiceUnavailableException', status: 503 }, 'the audit line says why')

  first.abort()
  let streamsLeft = Infinity
  while (streamsLeft > 1) streamsLeft = valueOf(await metrics(gateway), 'bedrock_geofence_streams_in_flight') ?? Infinity
  const again = new AbortController()
  t.teardown(() => again.abort())
  fake.setFault({ kind: 'hang', afterFrames: 1 })
  await t.resolves(openStream(client, again.signal), 'once a stream ends, a new one gets its place')
})

for (const { sliceMs, how } of [
  { sliceMs: BUSY_SLICE_MS, how: 'lagging past the limit' },
  { sliceMs: LONG_BUSY_SLICE_MS, how: 'blocked for whole sampling windows' }
]) {
  t.test(`with the event loop ${how}, calls are shed with 503 until it recovers`, async (t) => {
    const { fake, gateway } = await startGatewayHarness(t, { extraYaml: `limits: { maxEventLoopDelayMs: ${EVENT_LOOP_LIMIT_MS} }` })
    const client = gatewayClient(t, 'HTTP/1.1 (NodeHttpHandler)', gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
    const converse = async (): Promise<{ name: string; status?: number }> => sdkOutcome(client.send(new ConverseCommand({ modelId: CLAUDE, messages: MESSAGES })))
    t.equal((await converse()).name, 'ok', 'served while the loop is idle')

    // Calls made while the pressure builds up may still be served; once the gateway has measured it, they are shed.
    const pressure = holdEventLoop(sliceMs)
    let served = 1
    let shed: { sdk: { name: string; status?: number }; raw: Awaited<ReturnType<typeof rawConverseStream>> } | undefined
    try {
      const deadline = Date.now() + SHED_WITHIN_MS
      while (shed === undefined && Date.now() < deadline) {
        const outcome = await converse()
        if (outcome.name === 'ok') served++
        else shed = { sdk: outcome, raw: await rawConverseStream(gateway) }
      }
    } finally {
      pressure.stop()
    }
    t.same(shed?.sdk, { name: 'ServiceUnavailableException', status: 503 }, 'the SDK reports ServiceUnavailableException')
    t.match(shed?.raw, { status: 503, errorType: 'ServiceUnavailableException', body: { __type: 'ServiceUnavailableException' } })
    t.equal(fake.requests.length, served, 'nothing shed reached Bedrock')

    const deadline = Date.now() + RECOVERY_WAIT_MS
    let recovered = false
    while (!recovered && Date.now() < deadline) {
      await sleep(POLL_MS)
      recovered = (await converse()).name === 'ok'
    }
    t.ok(recovered, 'served again once the loop has caught up')
    t.ok((valueOf(await metrics(gateway), 'bedrock_geofence_shed_requests_total', { cause: 'event_loop_delay' }) ?? 0) >= 2)
  })
}

for (const { stall, how } of [
  { stall: async () => busyFor(SINGLE_STALL_MS), how: `a single ${SINGLE_STALL_MS} ms stall` },
  { stall: holdEventLoopFor, how: 'stalls longer than the sampling window' }
]) {
  t.test(`${how}, far under the limit, sheds nothing`, async (t) => {
    const { fake, gateway } = await startGatewayHarness(t, { extraYaml: `limits: { maxEventLoopDelayMs: ${HIGHEST_EVENT_LOOP_LIMIT_MS} }` })
    const client = gatewayClient(t, 'HTTP/1.1 (NodeHttpHandler)', gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
    const converse = async (): Promise<{ name: string; status?: number }> => sdkOutcome(client.send(new ConverseCommand({ modelId: CLAUDE, messages: MESSAGES })))
    t.equal((await converse()).name, 'ok', 'served while the loop is idle')

    await stall()
    const outcomes: string[] = []
    for (let call = 0; call < CALLS_AFTER_STALL; call++) {
      outcomes.push((await converse()).name)
      await sleep(CALL_SPACING_MS)
    }
    t.same(outcomes, Array<string>(CALLS_AFTER_STALL).fill('ok'), 'every call after the stall is served')
    t.equal(fake.requests.length, CALLS_AFTER_STALL + 1, 'and reached Bedrock')
    t.equal(valueOf(await metrics(gateway), 'bedrock_geofence_shed_requests_total', { cause: 'event_loop_delay' }) ?? 0, 0)
  })
}
