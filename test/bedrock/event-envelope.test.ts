import t from 'tap'
import { EventStreamCodec } from '@smithy/eventstream-codec'
import { fromUtf8, toUtf8 } from '@smithy/util-utf8'
import { decodeEventEnvelope, encodeDateHeader, encodeEventEnvelope } from '../../src/bedrock/event-envelope.ts'

const codec = new EventStreamCodec(toUtf8, fromUtf8)
const SIGNATURE = 'ab'.repeat(32)
const DATE_MS = Date.UTC(2026, 11, 7, 4, 0, 0, 250)

t.test('an envelope comes apart into the date, the signature and the payload it was made of', async (t) => {
  const payload = fromUtf8('{"bytes":"aGk="}')
  const envelope = decodeEventEnvelope(encodeEventEnvelope(DATE_MS, SIGNATURE, payload))
  t.equal(envelope.dateMs, DATE_MS)
  t.equal(Buffer.from(envelope.signature).toString('hex'), SIGNATURE)
  t.same(Buffer.from(envelope.payload), Buffer.from(payload))
  t.same(Buffer.from(envelope.dateHeader), Buffer.from(encodeDateHeader(DATE_MS)))
})

t.test('the :date header is encoded as the SDKs hash it: name, type 8, milliseconds as a big-endian int64', async (t) => {
  const expected = Buffer.concat([Buffer.from([5]), Buffer.from(':date'), Buffer.from([8]), Buffer.alloc(8)])
  expected.writeBigInt64BE(BigInt(DATE_MS), 7)
  t.same(Buffer.from(encodeDateHeader(DATE_MS)), expected)
})

t.test('the signed :date is the same bytes whatever order the envelope\'s headers came in', async (t) => {
  const reordered = codec.encode({
    headers: { ':chunk-signature': { type: 'binary', value: Buffer.from(SIGNATURE, 'hex') }, ':date': { type: 'timestamp', value: new Date(DATE_MS) } },
    body: new Uint8Array(0)
  })
  t.same(Buffer.from(decodeEventEnvelope(reordered).dateHeader), Buffer.from(encodeDateHeader(DATE_MS)))
})

const REFUSED: ReadonlyArray<{ readonly name: string, readonly frame: () => Uint8Array }> = [
  { name: 'no :chunk-signature', frame: () => codec.encode({ headers: { ':date': { type: 'timestamp', value: new Date(DATE_MS) } }, body: new Uint8Array(0) }) },
  { name: 'no :date', frame: () => codec.encode({ headers: { ':chunk-signature': { type: 'binary', value: Buffer.from(SIGNATURE, 'hex') } }, body: new Uint8Array(0) }) },
  {
    name: 'a :date that is a string',
    frame: () => codec.encode({ headers: { ':date': { type: 'string', value: '20261207T040000Z' }, ':chunk-signature': { type: 'binary', value: Buffer.from(SIGNATURE, 'hex') } }, body: new Uint8Array(0) })
  },
  {
    name: 'a signature of 31 bytes',
    frame: () => codec.encode({ headers: { ':date': { type: 'timestamp', value: new Date(DATE_MS) }, ':chunk-signature': { type: 'binary', value: Buffer.alloc(31) } }, body: new Uint8Array(0) })
  },
  {
    name: 'a third header riding along unsigned',
    frame: () => codec.encode({
      headers: {
        ':date': { type: 'timestamp', value: new Date(DATE_MS) },
        ':chunk-signature': { type: 'binary', value: Buffer.from(SIGNATURE, 'hex') },
        ':event-type': { type: 'string', value: 'chunk' }
      },
      body: new Uint8Array(0)
    })
  },
  { name: 'a frame with a broken CRC', frame: () => { const frame = Buffer.from(encodeEventEnvelope(DATE_MS, SIGNATURE, fromUtf8('x'))); frame.writeUInt8(frame.readUInt8(frame.length - 1) ^ 1, frame.length - 1); return frame } }
]

for (const { name, frame } of REFUSED) {
  t.test(`refused as no envelope: ${name}`, async (t) => {
    t.throws(() => decodeEventEnvelope(frame()), { name: 'ValidationException', message: /not a signed event envelope/ })
  })
}
