import t from 'tap'
import { ConverseCommand, ConverseStreamCommand, InvokeModelCommand, InvokeModelWithResponseStreamCommand } from '@aws-sdk/client-bedrock-runtime'
import { largeReplyText, replyDeltas, runtimeClientFor, startFakeBedrock } from '../support/fake-bedrock/index.ts'

const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0'
const converse = (): ConverseCommand => new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'hi' }] }] })
const converseStream = (): ConverseStreamCommand => new ConverseStreamCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'hi' }] }] })

/** Reads a ConverseStream to its end or its error; returns the event names seen and the error, if any. */
async function drain (stream: AsyncIterable<Record<string, unknown>> | undefined): Promise<{ events: string[], error?: unknown }> {
  const events: string[] = []
  try {
    for await (const event of stream ?? []) events.push(Object.keys(event)[0] as string)
    return { events }
  } catch (error) {
    return { events, error }
  }
}

t.test('slowHeaders delays the status line, then answers normally', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  fake.nextFault({ kind: 'slowHeaders', delayMs: 300 })
  const reply = await runtimeClientFor(fake.url).send(converse())
  t.equal(reply.output?.message?.content?.[0]?.text, fake.replyText)
  const record = fake.requests[0]
  t.ok((record?.response?.respondedAt ?? 0) - (record?.receivedAt ?? 0) >= 290, 'status written no sooner than the delay')
  t.match(record?.fault, { kind: 'slowHeaders' })
})

t.test('slowHeaders longer than the client\'s timeout makes the client time out', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  fake.nextFault({ kind: 'slowHeaders', delayMs: 2000 })
  await t.rejects(runtimeClientFor(fake.url, { requestTimeoutMs: 200 }).send(converse()), { name: 'TimeoutError' })
})

t.test('an error fault answers 429 ThrottlingException in Bedrock\'s shape', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  fake.nextFault({ kind: 'error', errorType: 'ThrottlingException', message: 'Too many requests, please wait before trying again.' })
  await t.rejects(runtimeClientFor(fake.url).send(converse()), {
    name: 'ThrottlingException',
    message: 'Too many requests, please wait before trying again.',
    $metadata: { httpStatusCode: 429 }
  })
})

t.test('an error fault answers 500 InternalServerException', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  fake.nextFault({ kind: 'error', errorType: 'InternalServerException' })
  await t.rejects(runtimeClientFor(fake.url).send(converse()), { name: 'InternalServerException', $metadata: { httpStatusCode: 500 } })
})

t.test('nextFault applies to one request; setFault to every request until cleared', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  const client = runtimeClientFor(fake.url)
  fake.nextFault({ kind: 'error', errorType: 'ServiceUnavailableException' })
  await t.rejects(client.send(converse()), { name: 'ServiceUnavailableException', $metadata: { httpStatusCode: 503 } })
  await client.send(converse())
  fake.setFault({ kind: 'error', errorType: 'ThrottlingException' })
  await t.rejects(client.send(converse()), { name: 'ThrottlingException' })
  await t.rejects(client.send(converse()), { name: 'ThrottlingException' })
  fake.setFault(undefined)
  await client.send(converse())
  t.same(fake.requests.map(request => request.response?.status), [503, 200, 429, 429, 200])
})

t.test('the SDK retries a throttled request and succeeds once the fault has passed', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  fake.nextFault({ kind: 'error', errorType: 'ThrottlingException' })
  const reply = await runtimeClientFor(fake.url, { maxAttempts: 2 }).send(converse())
  t.equal(reply.output?.message?.content?.[0]?.text, fake.replyText)
  t.same(fake.requests.map(request => request.response?.status), [429, 200])
})

t.test('reset before the response drops the connection without a status', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  fake.nextFault({ kind: 'reset' })
  await t.rejects(runtimeClientFor(fake.url).send(converse()))
  t.match(fake.requests[0], { resetByFake: true, closedEarly: false })
  t.equal(fake.requests[0]?.response, undefined)
})

t.test('reset after two frames cuts a ConverseStream after exactly two events', async t => {
  const fake = await startFakeBedrock({ frameDelayMs: 1 })
  t.teardown(() => fake.close())
  fake.nextFault({ kind: 'reset', afterFrames: 2 })
  const reply = await runtimeClientFor(fake.url).send(converseStream())
  const { events, error } = await drain(reply.stream as AsyncIterable<Record<string, unknown>>)
  t.same(events, ['messageStart', 'contentBlockDelta'])
  t.ok(error !== undefined, 'the SDK reports the broken stream')
  t.equal(fake.requests[0]?.response?.framesSent, 2)
})

t.test('reset with afterFrames cuts a JSON answer after its headers', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  fake.nextFault({ kind: 'reset', afterFrames: 0 })
  await t.rejects(runtimeClientFor(fake.url).send(converse()))
  t.match(fake.requests[0], { resetByFake: true, response: { status: 200 } })
})

t.test('an exception frame mid-stream surfaces in the SDK as the named exception after the events before it', async t => {
  const fake = await startFakeBedrock({ frameDelayMs: 1 })
  t.teardown(() => fake.close())
  fake.nextFault({ kind: 'streamException', afterFrames: 3, exceptionType: 'modelStreamErrorException', message: 'model broke' })
  const reply = await runtimeClientFor(fake.url).send(converseStream())
  const { events, error } = await drain(reply.stream as AsyncIterable<Record<string, unknown>>)
  t.same(events, ['messageStart', 'contentBlockDelta', 'contentBlockDelta'])
  t.match(error, { name: 'ModelStreamErrorException', message: 'model broke' })
  t.equal(fake.requests[0]?.response?.framesSent, 4, 'three events and the exception frame')
})

t.test('an internalServerException frame mid InvokeModelWithResponseStream throws InternalServerException', async t => {
  const fake = await startFakeBedrock({ frameDelayMs: 1 })
  t.teardown(() => fake.close())
  fake.nextFault({ kind: 'streamException', afterFrames: 1, exceptionType: 'internalServerException' })
  const reply = await runtimeClientFor(fake.url).send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL, body: '{}' }))
  const { events, error } = await drain(reply.body as AsyncIterable<Record<string, unknown>>)
  t.same(events, ['chunk'])
  t.match(error, { name: 'InternalServerException' })
})

t.test('a stream exception fault on a non-streaming operation becomes that error response', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  fake.nextFault({ kind: 'streamException', afterFrames: 0, exceptionType: 'modelTimeoutException' })
  await t.rejects(runtimeClientFor(fake.url).send(converse()), { name: 'ModelTimeoutException', $metadata: { httpStatusCode: 408 } })
})

t.test('hang never answers: the client times out and the fake records the early close', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  fake.nextFault({ kind: 'hang' })
  await t.rejects(runtimeClientFor(fake.url, { requestTimeoutMs: 200 }).send(converse()), { name: 'TimeoutError' })
  const record = await fake.waitForClose(0)
  t.equal(record.response, undefined)
})

t.test('hang after frames stalls a stream: the events before it arrive, then the client\'s idle timeout fires', async t => {
  const fake = await startFakeBedrock({ frameDelayMs: 1 })
  t.teardown(() => fake.close())
  fake.nextFault({ kind: 'hang', afterFrames: 2 })
  const reply = await runtimeClientFor(fake.url, { socketTimeoutMs: 300 }).send(converseStream())
  const { events, error } = await drain(reply.stream as AsyncIterable<Record<string, unknown>>)
  t.same(events, ['messageStart', 'contentBlockDelta'])
  t.ok(error !== undefined, 'the stream ends in an error, not silently')
  await fake.waitForClose(0)
})

t.test('largeBody makes the reply text the given size, sent whole as JSON', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  fake.nextFault({ kind: 'largeBody', bytes: 3_000_000 })
  const reply = await runtimeClientFor(fake.url).send(new InvokeModelCommand({ modelId: MODEL, body: '{}' }))
  const parsed = JSON.parse(Buffer.from(reply.body).toString('utf8')) as { content: Array<{ text: string }> }
  t.equal(parsed.content[0]?.text, largeReplyText(3_000_000))
})

t.test('largeBody on a stream arrives in a bounded number of deltas', async t => {
  const fake = await startFakeBedrock({ frameDelayMs: 0 })
  t.teardown(() => fake.close())
  fake.nextFault({ kind: 'largeBody', bytes: 2_000_000 })
  const reply = await runtimeClientFor(fake.url).send(converseStream())
  let text = ''
  for await (const event of reply.stream ?? []) text += event.contentBlockDelta?.delta?.text ?? ''
  t.equal(text, largeReplyText(2_000_000))
  t.equal(fake.requests[0]?.response?.framesSent, replyDeltas(text).length + 4)
})

t.test('faults apply only after authentication: a bad signature is refused and the fault waits for the next request', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  fake.nextFault({ kind: 'error', errorType: 'ThrottlingException' })
  await t.rejects(runtimeClientFor(fake.url, { credentials: { accessKeyId: 'AKIDFAKEUPSTREAM0001', secretAccessKey: 'wrong' } }).send(converse()),
    { name: 'InvalidSignatureException' })
  await t.rejects(runtimeClientFor(fake.url).send(converse()), { name: 'ThrottlingException' })
})
