import { createHash } from 'node:crypto'
import { PassThrough } from 'node:stream'
import t from 'tap'
import type { BedrockError } from '../../src/core/errors.ts'
import { LoadShedError } from '../../src/server/load-shed.ts'
import type { ReceivedBody } from '../../src/server/received-body.ts'
import { BODY_LENGTH_MISMATCH_MESSAGE, BODY_TOO_LARGE_MESSAGE, NO_BODY, receiveBody } from '../../src/server/received-body.ts'

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex')

interface Received {
  readonly error: BedrockError | null
  readonly body?: ReceivedBody
  /** How often `done` was called. */
  readonly calls: number
  /** Nothing read the payload. */
  readonly unread: boolean
}

/** Feeds `chunks` through a stream into receiveBody and resolves with what it gave `done`. */
async function received (chunks: Buffer[], declaredLength: number, maxBytes: number, failWith?: Error): Promise<Received> {
  const payload = new PassThrough()
  let calls = 0
  let outcome: { error: BedrockError | null, body?: ReceivedBody } | undefined
  receiveBody(payload, declaredLength, maxBytes, (error, body) => {
    calls++
    outcome ??= { error, ...(body === undefined ? {} : { body }) }
  })
  for (const chunk of chunks) payload.write(chunk)
  if (failWith === undefined) payload.end()
  else payload.destroy(failWith)
  await new Promise((resolve) => setImmediate(resolve))
  await new Promise((resolve) => setImmediate(resolve))
  if (outcome === undefined) throw new Error('done was never called')
  return { ...outcome, calls, unread: payload.listenerCount('data') === 0 && payload.readableFlowing !== true }
}

t.test('a body of one chunk is received whole with its sha256', async (t) => {
  const bytes = Buffer.from('{"messages":[]}')
  const { error, body } = await received([bytes], bytes.length, 1000)
  t.equal(error, null)
  t.same(body?.bytes, bytes)
  t.equal(body?.sha256Hex, sha256(bytes))
})

t.test('a body of many chunks keeps them as they came, hashed as they arrived, and joins them when asked', async (t) => {
  const chunks = Array.from({ length: 40 }, (_, index) => Buffer.alloc(1000, index))
  const whole = Buffer.concat(chunks)
  const { error, body } = await received(chunks, NaN, 1_000_000)
  t.equal(error, null)
  t.equal(body?.chunks.length, 40)
  t.equal(body?.length, whole.length)
  t.equal(body?.sha256Hex, sha256(whole))
  t.same(body?.bytes, whole)
})

t.test('a body goes upstream as its chunks until something joins it, then as that one buffer', async (t) => {
  const chunks = [Buffer.from('{"a":'), Buffer.from('1}')]
  const { body } = await received(chunks, NaN, 1000)
  t.equal(body?.forwarded, body?.chunks, 'not joined yet: its chunks')
  const joined = body?.bytes
  t.equal(body?.forwarded, joined, 'joined once: that buffer, not a second copy')
})

t.test('an empty body carries the empty sha256, like a request without one', async (t) => {
  const { body } = await received([], 0, 1000)
  t.equal(body?.sha256Hex, NO_BODY.sha256Hex)
  t.equal(NO_BODY.sha256Hex, sha256(Buffer.alloc(0)))
})

t.test('a declared length over the limit is refused with 413 before a byte is read', async (t) => {
  const { error, calls, unread } = await received([Buffer.alloc(10)], 2000, 1000)
  t.match(error, { status: 413, message: new RegExp(BODY_TOO_LARGE_MESSAGE) })
  t.equal(calls, 1)
  t.ok(unread, 'the body was never read')
})

t.test('a body of unknown length is refused with 413 once it grows past the limit, and reading stops', async (t) => {
  const { error, calls } = await received([Buffer.alloc(600), Buffer.alloc(600), Buffer.alloc(600)], NaN, 1000)
  t.match(error, { status: 413 })
  t.equal(calls, 1, 'done was called once')
})

t.test('a body that ends short of its declared length is refused with 400', async (t) => {
  const { error } = await received([Buffer.alloc(10)], 20, 1000)
  t.match(error, { status: 400, message: new RegExp(BODY_LENGTH_MISMATCH_MESSAGE) })
})

t.test('a caller whose stream breaks off gets a 400, and a refusal from the body budget stays what it is', async (t) => {
  t.match((await received([Buffer.alloc(10)], NaN, 1000, new Error('aborted'))).error, { status: 400 })
  t.match((await received([Buffer.alloc(10)], NaN, 1000, new LoadShedError('body_bytes_in_flight'))).error, { status: 503, shedCause: 'body_bytes_in_flight' })
})
