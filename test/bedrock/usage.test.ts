import t from 'tap'
import { EventStreamFrameTracker, encodeExceptionFrame } from '../../src/bedrock/event-stream.ts'
import {
  MAXIMUM_USAGE_FRAME_BYTES,
  createConverseBodyUsageObserver,
  usageFromHeaders,
  usageFromLastFrame,
  type TokenUsage
} from '../../src/bedrock/usage.ts'
import { eventFrame } from '../support/fake-bedrock/index.ts'

/** A ConverseStream body as Bedrock sends it: the usage comes in the last event. */
function converseStream (usage: unknown = { inputTokens: 25, outputTokens: 310, totalTokens: 335 }): Buffer {
  return Buffer.concat([
    eventFrame('messageStart', { role: 'assistant' }),
    eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Bonjour' } }),
    eventFrame('contentBlockStop', { contentBlockIndex: 0 }),
    eventFrame('messageStop', { stopReason: 'end_turn' }),
    eventFrame('metadata', { usage, metrics: { latencyMs: 812 } })
  ])
}

function chunkFrame (modelJson: unknown): Buffer {
  return eventFrame('chunk', { bytes: Buffer.from(JSON.stringify(modelJson)).toString('base64') })
}

/** An InvokeModelWithResponseStream body (Anthropic messages shape): Bedrock adds its metrics to the final chunk. */
function responseStream (): Buffer {
  return Buffer.concat([
    chunkFrame({ type: 'message_start', message: { role: 'assistant', usage: { input_tokens: 999 } } }),
    chunkFrame({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hallo' } }),
    chunkFrame({
      type: 'message_stop',
      'amazon-bedrock-invocationMetrics': { inputTokenCount: 18, outputTokenCount: 7, invocationLatency: 640, firstByteLatency: 210 }
    })
  ])
}

/** Relays `body` the way sockets do, in chunks that ignore frame boundaries, then reads the last frame's usage. */
function observeInChunks (body: Buffer, chunkSize: number): TokenUsage | undefined {
  const frames = new EventStreamFrameTracker(MAXIMUM_USAGE_FRAME_BYTES)
  for (let offset = 0; offset < body.length; offset += chunkSize) frames.track(body.subarray(offset, offset + chunkSize))
  const lastFrame = frames.lastFrame()
  return lastFrame === undefined ? undefined : usageFromLastFrame(lastFrame)
}

t.test('InvokeModel usage is read from the token count headers', async (t) => {
  t.same(usageFromHeaders({ 'x-amzn-bedrock-input-token-count': '12', 'x-amzn-bedrock-output-token-count': '340' }), { inputTokens: 12, outputTokens: 340 })
})

t.test('missing or malformed token count headers give no usage', async (t) => {
  t.equal(usageFromHeaders({ 'x-amzn-bedrock-input-token-count': '12' }), undefined)
  t.equal(usageFromHeaders({ 'x-amzn-bedrock-input-token-count': '12', 'x-amzn-bedrock-output-token-count': '-3' }), undefined)
  t.equal(usageFromHeaders({ 'x-amzn-bedrock-input-token-count': '1e3', 'x-amzn-bedrock-output-token-count': '4' }), undefined)
  t.equal(usageFromHeaders({ 'x-amzn-bedrock-input-token-count': ['1', '2'], 'x-amzn-bedrock-output-token-count': '4' }), undefined)
})

t.test('ConverseStream usage is read from the metadata event, whatever the chunking', async (t) => {
  for (const chunkSize of [1, 3, 17, 64, 100_000]) {
    t.same(observeInChunks(converseStream(), chunkSize), { inputTokens: 25, outputTokens: 310 }, `chunks of ${chunkSize} bytes`)
  }
})

t.test('InvokeModelWithResponseStream usage is read from the invocation metrics of the last chunk', async (t) => {
  for (const chunkSize of [1, 5, 100_000]) {
    t.same(observeInChunks(responseStream(), chunkSize), { inputTokens: 18, outputTokens: 7 }, `chunks of ${chunkSize} bytes`)
  }
})

t.test('a stream cut before its metadata event reports no usage', async (t) => {
  const body = converseStream()
  const metadataLength = eventFrame('metadata', { usage: { inputTokens: 25, outputTokens: 310, totalTokens: 335 }, metrics: { latencyMs: 812 } }).length
  t.equal(observeInChunks(body.subarray(0, body.length - metadataLength), 10), undefined)
  t.equal(observeInChunks(body.subarray(0, body.length - 5), 10), undefined, 'a truncated metadata frame is not read')
})

t.test('a stream that ends in an exception reports no usage', async (t) => {
  const body = Buffer.concat([eventFrame('messageStart', { role: 'assistant' }), encodeExceptionFrame('throttlingException', 'Too many tokens')])
  t.equal(observeInChunks(body, 8), undefined)
})

t.test('usage with counts that are not whole non-negative numbers is ignored', async (t) => {
  t.equal(observeInChunks(converseStream({ inputTokens: '25', outputTokens: 310 }), 50), undefined)
  t.equal(observeInChunks(converseStream({ inputTokens: 2.5, outputTokens: 310 }), 50), undefined)
})

t.test('a frame with a corrupted checksum reports no usage', async (t) => {
  const body = converseStream()
  body[body.length - 20] = (body[body.length - 20] as number) ^ 0xff
  t.equal(observeInChunks(body, 50), undefined)
})

t.test('bytes that are not an event stream give no usage', async (t) => {
  t.equal(observeInChunks(Buffer.concat([Buffer.from('{"message":"not a stream"}'), Buffer.alloc(64 * 1024)]), 1024), undefined)
})

t.test('a last frame longer than a usage event can be is not kept, so it gives no usage', async (t) => {
  const oversized = eventFrame('chunk', { bytes: 'A'.repeat(MAXIMUM_USAGE_FRAME_BYTES) })
  t.equal(observeInChunks(Buffer.concat([converseStream(), oversized]), 64 * 1024), undefined)
})

const CONVERSE_BODY = JSON.stringify({
  output: { message: { role: 'assistant', content: [{ text: 'Guten Tag' }] } },
  stopReason: 'end_turn',
  usage: { inputTokens: 40, outputTokens: 9, totalTokens: 49 },
  metrics: { latencyMs: 400 }
})

function observeBody (contentType: string | undefined, body: string, maxBytes?: number): TokenUsage | undefined {
  const observer = createConverseBodyUsageObserver(contentType, maxBytes)
  const bytes = Buffer.from(body)
  for (let offset = 0; offset < bytes.length; offset += 13) observer.observe(bytes.subarray(offset, offset + 13))
  return observer.usage()
}

t.test('Converse usage is read from the JSON body', async (t) => {
  t.same(observeBody('application/json', CONVERSE_BODY), { inputTokens: 40, outputTokens: 9 })
  t.same(observeBody('application/json; charset=UTF-8', CONVERSE_BODY), { inputTokens: 40, outputTokens: 9 })
})

t.test('a Converse body that is not JSON, too large, or an error gives no usage', async (t) => {
  t.equal(observeBody('text/plain', CONVERSE_BODY), undefined)
  t.equal(observeBody(undefined, CONVERSE_BODY), undefined)
  t.equal(observeBody('application/json', CONVERSE_BODY, CONVERSE_BODY.length - 1), undefined)
  t.equal(observeBody('application/json', '{"message":"Too many requests"}'), undefined)
  t.equal(observeBody('application/json', CONVERSE_BODY.slice(0, -10)), undefined, 'a truncated body')
})
