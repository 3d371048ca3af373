import t from 'tap'
import { ConverseStreamCommand, InvokeModelWithResponseStreamCommand } from '@aws-sdk/client-bedrock-runtime'
import {
  FAKE_LATENCY_MS,
  anthropicStreamEvents,
  countInputTokens,
  countOutputTokens,
  decodeFrames,
  replyDeltas,
  runtimeClientFor,
  sendSigned,
  startFakeBedrock
} from '../support/fake-bedrock/index.ts'

const CLAUDE = 'us.anthropic.claude-3-5-haiku-20241022-v1:0'
const REPLY = 'Streams arrive one delta at a time, in order.'

t.test('ConverseStream decodes in the SDK into messageStart, the deltas, stops and metadata', async t => {
  const fake = await startFakeBedrock({ replyText: REPLY, frameDelayMs: 1 })
  t.teardown(() => fake.close())
  const reply = await runtimeClientFor(fake.url).send(new ConverseStreamCommand({
    modelId: CLAUDE,
    messages: [{ role: 'user', content: [{ text: 'stream please' }] }]
  }))
  const events: string[] = []
  const deltas: string[] = []
  let metadata: unknown
  for await (const event of reply.stream ?? []) {
    events.push(Object.keys(event)[0] as string)
    if (event.contentBlockDelta?.delta?.text !== undefined) deltas.push(event.contentBlockDelta.delta.text)
    if (event.metadata !== undefined) metadata = event.metadata
  }
  const inputTokens = countInputTokens(fake.requests[0]?.body ?? Buffer.alloc(0))
  t.same(events, ['messageStart', ...replyDeltas(REPLY).map(() => 'contentBlockDelta'), 'contentBlockStop', 'messageStop', 'metadata'])
  t.equal(deltas.join(''), REPLY)
  t.same(metadata, {
    usage: { inputTokens, outputTokens: countOutputTokens(REPLY), totalTokens: inputTokens + countOutputTokens(REPLY) },
    metrics: { latencyMs: FAKE_LATENCY_MS }
  })
})

t.test('InvokeModelWithResponseStream chunks carry Anthropic stream events, ending with Bedrock\'s invocation metrics', async t => {
  const fake = await startFakeBedrock({ replyText: REPLY, frameDelayMs: 1 })
  t.teardown(() => fake.close())
  const body = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 100, messages: [{ role: 'user', content: 'go' }] })
  const reply = await runtimeClientFor(fake.url).send(new InvokeModelWithResponseStreamCommand({ modelId: CLAUDE, body }))
  const received: unknown[] = []
  for await (const event of reply.body ?? []) {
    received.push(JSON.parse(Buffer.from(event.chunk?.bytes ?? new Uint8Array()).toString('utf8')))
  }
  const request = fake.requests[0]
  t.same(received, anthropicStreamEvents({ text: REPLY, inputTokens: countInputTokens(Buffer.from(body)) }, CLAUDE, request?.requestId ?? ''))
  t.equal(request?.response?.framesSent, received.length)
})

t.test('stream frames are paced: the client has the first event before the fake sends the last frame', async t => {
  const fake = await startFakeBedrock({ replyText: REPLY, frameDelayMs: 20 })
  t.teardown(() => fake.close())
  const reply = await runtimeClientFor(fake.url).send(new ConverseStreamCommand({
    modelId: CLAUDE,
    messages: [{ role: 'user', content: [{ text: 'x' }] }]
  }))
  let firstEventAt: number | undefined
  for await (const _event of reply.stream ?? []) firstEventAt ??= Date.now()
  const framesSentAt = fake.requests[0]?.framesSentAt ?? []
  t.ok(firstEventAt !== undefined && firstEventAt < (framesSentAt.at(-1) ?? 0), 'first event arrived before the last frame left the fake')
})

t.test('the stream is served as application/vnd.amazon.eventstream with frames a raw reader can decode', async t => {
  const fake = await startFakeBedrock({ replyText: 'two words', frameDelayMs: 0 })
  t.teardown(() => fake.close())
  const response = await sendSigned(fake.url, {
    method: 'POST',
    path: '/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream',
    region: 'us-east-1',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'x' }] }] })
  })
  t.equal(response.status, 200)
  t.equal(response.headers['content-type'], 'application/vnd.amazon.eventstream')
  const frames = decodeFrames(response.body)
  t.same(frames.slice(0, 3), [
    { headers: { ':event-type': 'messageStart', ':content-type': 'application/json', ':message-type': 'event' }, payload: { role: 'assistant' } },
    { headers: { ':event-type': 'contentBlockDelta', ':content-type': 'application/json', ':message-type': 'event' }, payload: { delta: { text: 'two' }, contentBlockIndex: 0 } },
    { headers: { ':event-type': 'contentBlockDelta', ':content-type': 'application/json', ':message-type': 'event' }, payload: { delta: { text: ' words' }, contentBlockIndex: 0 } }
  ])
})

t.test('an embedding model refuses streaming with ValidationException before any frame', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  await t.rejects(runtimeClientFor(fake.url).send(new InvokeModelWithResponseStreamCommand({
    modelId: 'amazon.titan-embed-text-v2:0',
    body: JSON.stringify({ inputText: 'x' })
  })), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } })
})

t.test('a client that aborts mid-stream is recorded as an early close', async t => {
  const fake = await startFakeBedrock({ replyText: REPLY, frameDelayMs: 50 })
  t.teardown(() => fake.close())
  const abort = new AbortController()
  const reply = await runtimeClientFor(fake.url).send(new ConverseStreamCommand({
    modelId: CLAUDE,
    messages: [{ role: 'user', content: [{ text: 'x' }] }]
  }), { abortSignal: abort.signal })
  await t.rejects(async () => {
    for await (const _event of reply.stream ?? []) abort.abort()
  })
  const record = await fake.waitForClose(0)
  t.equal(record.closedEarly, true)
  t.ok((record.closedAt ?? 0) >= record.receivedAt, 'the close time is recorded')
  t.ok((record.response?.framesSent ?? Infinity) < replyDeltas(REPLY).length + 4, 'the stream did not run to its end')
})
