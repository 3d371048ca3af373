import t from 'tap'
import { InvokeModelWithBidirectionalStreamCommand, type InvokeModelWithBidirectionalStreamInput } from '@aws-sdk/client-bedrock-runtime'
import { FAKE_UPSTREAM_CREDENTIALS } from '../support/fake-bedrock/index.ts'
import {
  bidirectionalClient,
  innerChunkEvent,
  NOVA_SONIC,
  RawBidirectionalCaller,
  startBidirectionalHarness
} from '../support/bidirectional-harness.ts'
import { BEARER_CLIENT, SIGV4_CLIENT, startGatewayHarness, waitForAuditLines } from '../support/gateway-harness.ts'
import { sendSigned, startFakeBidirectional } from '../support/fake-bedrock/index.ts'
import { parseExposition, valueOf } from '../support/prometheus-text.ts'

const EVENTS = 40
const OPERATION = 'InvokeModelWithBidirectionalStream'

function eventBytes (n: number): Uint8Array {
  return Buffer.from(JSON.stringify({ event: { textInput: { content: `event ${n}` } } }))
}

/** Events that wait for the echo of the one before: the session only moves if both directions flow at once. */
function conversation (echoes: { readonly next: () => Promise<void> }): AsyncIterable<InvokeModelWithBidirectionalStreamInput> {
  return (async function * () {
    for (let n = 0; n < EVENTS; n++) {
      yield { chunk: { bytes: eventBytes(n) } }
      await echoes.next()
    }
  })()
}

function echoWaiter (): { next: () => Promise<void>, arrived: () => void } {
  let waiting: (() => void) | undefined
  let pending = 0
  return {
    next: async () => {
      if (pending > 0) {
        pending--
        return
      }
      await new Promise<void>((resolve) => { waiting = resolve })
    },
    arrived: () => {
      if (waiting === undefined) {
        pending++
        return
      }
      const resolve = waiting
      waiting = undefined
      resolve()
    }
  }
}

t.test('the AWS SDK holds a session of many events both ways through the TLS listener, every event re-signed', async (t) => {
  const harness = await startBidirectionalHarness(t)
  const client = bidirectionalClient(harness)
  t.teardown(() => client.destroy())
  const echoes = echoWaiter()
  const response = await client.send(new InvokeModelWithBidirectionalStreamCommand({ modelId: NOVA_SONIC, body: conversation(echoes) }))
  const received: string[] = []
  for await (const event of response.body ?? []) {
    if (event.chunk?.bytes !== undefined) {
      received.push(Buffer.from(event.chunk.bytes).toString('utf8'))
      echoes.arrived()
    }
  }
  t.same(received, Array.from({ length: EVENTS }, (_, n) => Buffer.from(eventBytes(n)).toString('utf8')), 'every event came back, in order, unchanged')

  const [session] = harness.fake.sessions
  t.ok(session?.signature.ok, 'the fake verified the opening request')
  t.equal(session?.signature.ok === true ? session.signature.accessKeyId : undefined, FAKE_UPSTREAM_CREDENTIALS.accessKeyId,
    'signed with the gateway\'s credentials, not the caller\'s')
  t.equal(session?.modelId, NOVA_SONIC)
  t.same(Object.keys(session?.headers ?? {}).filter((name) => !name.startsWith(':')).sort(),
    ['authorization', 'content-type', 'user-agent', 'x-amz-content-sha256', 'x-amz-date'],
    'the SDK\'s own headers (x-amz-user-agent, amz-sdk-*) stayed behind; the signing headers are the gateway\'s')
  t.equal(session?.headers['user-agent'], 'bedrock-geofence')
  t.equal(session?.envelopes.length, EVENTS + 1, 'every event and the end frame reached the fake')
  t.ok(session?.envelopes.every((envelope) => envelope.signatureOk), 'the fake verified every chained signature')
  t.ok(session?.endFrame, 'the stream was ended with a signed end frame')

  const [audit] = await waitForAuditLines(harness, 0, 1)
  t.equal(audit?.decision, 'allowed')
  t.equal(audit?.operation, OPERATION)
  const samples = parseExposition(await harness.gateway.metrics.registry.metrics())
  t.ok((valueOf(samples, 'bedrock_geofence_request_bytes_total', { operation: OPERATION }) ?? 0) > 0, 'bytes in are counted')
  t.ok((valueOf(samples, 'bedrock_geofence_response_bytes_total', { operation: OPERATION }) ?? 0) > 0, 'bytes out are counted')
  t.equal(valueOf(samples, 'bedrock_geofence_bidirectional_streams_in_flight'), 0)
})

/**
 * Faults after a good start: `good` envelopes reach the fake, then `fault` is sent, then one more good envelope. The
 * stream must end with `exceptionType`, and the fake must have got the good envelopes only.
 */
const MID_STREAM_FAULTS: ReadonlyArray<{
  readonly name: string
  readonly good: number
  readonly fault: (caller: RawBidirectionalCaller) => Uint8Array
  readonly exceptionType: string
  readonly message?: RegExp
}> = [
  { name: 'a tampered event', good: 3, fault: (caller) => caller.envelope(innerChunkEvent(eventBytes(3)), { tamper: true }), exceptionType: 'InvalidSignatureException' },
  { name: 'a replayed envelope', good: 1, fault: (caller) => caller.sent[0] as Uint8Array, exceptionType: 'InvalidSignatureException' },
  {
    name: 'an event dated 6 minutes off',
    good: 1,
    fault: (caller) => caller.envelope(innerChunkEvent(eventBytes(1)), { dateMs: Date.now() - 6 * 60 * 1000 }),
    exceptionType: 'InvalidSignatureException',
    message: /Signature expired/
  },
  { name: 'bytes that are not an event stream', good: 1, fault: () => Buffer.from('this is no event-stream frame at all'), exceptionType: 'ValidationException' }
]

for (const { name, good, fault, exceptionType, message } of MID_STREAM_FAULTS) {
  t.test(`${name} mid-stream ends the stream; the fake gets nothing from it on`, async (t) => {
    const harness = await startBidirectionalHarness(t)
    const caller = await RawBidirectionalCaller.open(harness)
    t.teardown(() => caller.close())
    for (let n = 0; n < good; n++) caller.send(caller.envelope(innerChunkEvent(eventBytes(n))))
    await harness.fake.waitForEnvelopes(0, good)
    caller.send(fault(caller))
    caller.send(caller.envelope(innerChunkEvent(eventBytes(good + 1))))
    const answer = await caller.answer
    t.equal(answer.status, 200, 'the stream had started')
    const last = answer.frames.at(-1)
    t.equal(last?.headers[':message-type']?.value, 'exception')
    t.equal(last?.headers[':exception-type']?.value, exceptionType)
    if (message !== undefined) t.match(Buffer.from(last?.body ?? []).toString('utf8'), message)
    await harness.fake.waitForClose(0)
    t.equal(harness.fake.sessions[0]?.envelopes.length, good, 'only the events before the fault reached the fake')
    t.ok(harness.fake.sessions[0]?.envelopes.every((envelope) => envelope.signatureOk))
  })
}

t.test('a model outside the allowlist is refused before anything reaches the fake', async (t) => {
  const harness = await startBidirectionalHarness(t)
  const caller = await RawBidirectionalCaller.open(harness, { modelId: 'eu.amazon.nova-sonic-v1:0' })
  t.teardown(() => caller.close())
  caller.send(caller.envelope(innerChunkEvent(eventBytes(0))))
  const answer = await caller.answer
  t.equal(answer.status, 403)
  t.equal(answer.headers['x-amzn-errortype'], 'AccessDeniedException')
  t.match(answer.text, /PROFILE_PREFIX_NOT_ALLOWED/)
  t.equal(harness.fake.sessions.length, 0)
})

t.test('the operation is refused until allow.operations lists it, and the SDK reports the refusal', async (t) => {
  const harness = await startBidirectionalHarness(t, { enabled: false })
  const client = bidirectionalClient(harness)
  t.teardown(() => client.destroy())
  const body = (async function * () { yield { chunk: { bytes: eventBytes(0) } } })()
  await t.rejects(client.send(new InvokeModelWithBidirectionalStreamCommand({ modelId: NOVA_SONIC, body })),
    { name: 'AccessDeniedException', message: /OPERATION_NOT_ALLOWED/ })
  t.equal(harness.fake.sessions.length, 0)
})

t.test('a bearer caller, authenticated once by its key, holds a session; upstream every event is signed by the gateway', async (t) => {
  const harness = await startBidirectionalHarness(t)
  const caller = await RawBidirectionalCaller.open(harness, { bearerKey: BEARER_CLIENT.apiKey })
  t.teardown(() => caller.close())
  for (let n = 0; n < 5; n++) caller.send(caller.envelope(innerChunkEvent(eventBytes(n))))
  caller.end()
  const answer = await caller.answer
  t.equal(answer.status, 200)
  t.same(answer.frames.map((frame) => JSON.parse(Buffer.from(frame.body).toString('utf8')) as unknown),
    Array.from({ length: 5 }, (_, n) => ({ bytes: Buffer.from(eventBytes(n)).toString('base64') })))
  t.equal(harness.fake.sessions[0]?.envelopes.length, 6)
  t.ok(harness.fake.sessions[0]?.envelopes.every((envelope) => envelope.signatureOk))
})

t.test('a caller that resets its stream mid-session ends the upstream stream too', async (t) => {
  const harness = await startBidirectionalHarness(t)
  const caller = await RawBidirectionalCaller.open(harness)
  caller.send(caller.envelope(innerChunkEvent(eventBytes(0))))
  await harness.fake.waitForEnvelopes(0, 1)
  caller.close()
  await harness.fake.waitForClose(0)
  t.ok(harness.fake.sessions[0]?.closedEarly, 'the fake saw its stream closed before any end frame')
  const [audit] = await waitForAuditLines(harness, 0, 1)
  t.equal(audit?.decision, 'allowed')
})

t.test('a stream on which nothing moves for the idle timeout is ended', async (t) => {
  const harness = await startBidirectionalHarness(t, { limits: { bidirectionalIdleTimeoutMs: 300 } })
  const caller = await RawBidirectionalCaller.open(harness)
  t.teardown(() => caller.close())
  caller.send(caller.envelope(innerChunkEvent(eventBytes(0))))
  const answer = await caller.answer
  t.equal(answer.frames.at(-1)?.headers[':exception-type']?.value, 'ModelTimeoutException')
  await harness.fake.waitForClose(0)
  t.ok(harness.fake.sessions[0]?.closedEarly)
})

t.test('a Bedrock that stops reading for a while, with megabytes waiting: once it reads again, every event arrives in order', async (t) => {
  const harness = await startBidirectionalHarness(t, { fake: { stallAfterEnvelopes: 1 } })
  const caller = await RawBidirectionalCaller.open(harness)
  t.teardown(() => caller.close())
  const large = innerChunkEvent(Buffer.alloc(48 * 1024, 'a'))
  const events = 64
  for (let n = 0; n < events; n++) caller.send(caller.envelope(large))
  await harness.fake.waitForEnvelopes(0, 1)
  harness.fake.resumeReading()
  await caller.waitForFrames(events)
  caller.end()
  const answer = await caller.answer
  t.equal(answer.frames.length, events, 'every event echoed')
  t.equal(harness.fake.sessions[0]?.envelopes.length, events + 1)
  t.ok(harness.fake.sessions[0]?.envelopes.every((envelope) => envelope.signatureOk), 'in order: each on the chain')
})

t.test('a shutdown whose grace period runs out ends a running stream with serviceUnavailableException, and upstream with it', async (t) => {
  const harness = await startBidirectionalHarness(t, { extraYaml: 'shutdown: { graceSeconds: 0 }' })
  const caller = await RawBidirectionalCaller.open(harness)
  t.teardown(() => caller.close())
  caller.send(caller.envelope(innerChunkEvent(eventBytes(0))))
  await harness.fake.waitForEnvelopes(0, 1)
  const stopped = harness.gateway.shutdown()
  const answer = await caller.answer
  t.equal(answer.frames.at(-1)?.headers[':exception-type']?.value, 'serviceUnavailableException')
  await harness.fake.waitForClose(0)
  t.ok(harness.fake.sessions[0]?.closedEarly)
  caller.close()
  await stopped
})

t.test('beyond maxConcurrentBidirectionalStreams a new stream is refused with ServiceUnavailableException', async (t) => {
  const harness = await startBidirectionalHarness(t, { limits: { maxConcurrentBidirectionalStreams: 1 } })
  const first = await RawBidirectionalCaller.open(harness)
  t.teardown(() => first.close())
  first.send(first.envelope(innerChunkEvent(eventBytes(0))))
  await harness.fake.waitForEnvelopes(0, 1)
  const second = await RawBidirectionalCaller.open(harness)
  t.teardown(() => second.close())
  second.send(second.envelope(innerChunkEvent(eventBytes(0))))
  const refused = await second.answer
  t.equal(refused.status, 503)
  t.equal(refused.headers['x-amzn-errortype'], 'ServiceUnavailableException')
  t.equal(harness.fake.sessions.length, 1, 'the second stream never reached the fake')
})

t.test('over HTTP/1.1 the operation is refused: Bedrock serves it over HTTP/2 only', async (t) => {
  const fake = await startFakeBidirectional()
  t.teardown(() => fake.close())
  const harness = await startGatewayHarness(t, { upstreamEndpoint: fake.url, extraOperations: [OPERATION] })
  const answer = await sendSigned(harness.gateway.url, {
    method: 'POST',
    path: `/model/${encodeURIComponent(NOVA_SONIC)}/invoke-with-bidirectional-stream`,
    region: 'us-east-1',
    credentials: SIGV4_CLIENT,
    headers: { 'content-type': 'application/vnd.amazon.eventstream', 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-EVENTS' },
    body: Buffer.alloc(0)
  })
  t.equal(answer.status, 400)
  t.equal(answer.headers['x-amzn-errortype'], 'ValidationException')
  t.match(answer.body.toString('utf8'), /HTTP\/2 only/)
  t.equal(fake.sessions.length, 0)
})
