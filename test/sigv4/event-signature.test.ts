import t from 'tap'
import { Hash } from '@smithy/hash-node'
import { SignatureV4 } from '@smithy/signature-v4'
import { HeaderMarshaller } from '@smithy/eventstream-codec'
import { fromUtf8, toUtf8 } from '@smithy/util-utf8'
import { EVENT_SIGNING_ALGORITHM, EventSignatureChain, eventStringToSign } from '../../src/sigv4/event-signature.ts'
import { createSigningKeyCache } from '../../src/sigv4/signature.ts'

const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }
const SEED = 'e1d8e8c8815e60969f2a34765c9a15945ffc0badbaa4b7e3b38942a7b72dab92'
const ORIGIN = { seed: SEED, secret: CREDENTIALS.secretAccessKey, region: 'us-east-1', service: 'bedrock' }
const headers = new HeaderMarshaller(toUtf8, fromUtf8)

function dateHeader (dateMs: number): Uint8Array {
  return headers.format({ ':date': { type: 'timestamp', value: new Date(dateMs) } })
}

/** The AWS SDKs' own event signer: what every SDK caller's envelopes carry, and what Bedrock checks. */
const sdkSigner = new SignatureV4({ credentials: CREDENTIALS, region: 'us-east-1', service: 'bedrock', sha256: Hash.bind(null, 'sha256') })

async function sdkSignature (prior: string, dateMs: number, payload: Uint8Array): Promise<string> {
  const signed = await sdkSigner.sign({
    message: { headers: { ':date': { type: 'timestamp', value: new Date(dateMs) } }, body: payload },
    priorSignature: prior
  }, { signingDate: new Date(dateMs) })
  return signed.signature
}

t.test('the string to sign has six lines, starting with the event algorithm and ending with the two hashes', async (t) => {
  const lines = eventStringToSign('20261207T040000Z', '20261207/us-east-1/bedrock/aws4_request', SEED, new Uint8Array(0), new Uint8Array(0)).split('\n')
  t.equal(lines.length, 6)
  t.equal(lines[0], EVENT_SIGNING_ALGORITHM)
  t.equal(lines[3], SEED)
  t.equal(lines[5], 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'the hash of an empty payload')
})

t.test('a chain of events signs exactly as the AWS SDK signs them, the end frame included', async (t) => {
  const chain = new EventSignatureChain(ORIGIN, createSigningKeyCache(4))
  const start = Date.UTC(2026, 11, 7, 4, 0, 0, 123)
  const payloads = [fromUtf8('{"event":1}'), fromUtf8('{"event":2}'), new Uint8Array(0)]
  let prior = SEED
  for (const [n, payload] of payloads.entries()) {
    const dateMs = start + n * 1500
    const ours = chain.next({ dateMs, dateHeader: dateHeader(dateMs), payload })
    const theirs = await sdkSignature(prior, dateMs, payload)
    t.equal(ours, theirs, `event ${n}`)
    prior = theirs
  }
})

t.test('a stream that crosses midnight signs its later events with the new day\'s key', async (t) => {
  const chain = new EventSignatureChain(ORIGIN, createSigningKeyCache(4))
  const beforeMidnight = Date.UTC(2026, 11, 7, 23, 59, 59, 500)
  const afterMidnight = beforeMidnight + 1000
  const first = chain.next({ dateMs: beforeMidnight, dateHeader: dateHeader(beforeMidnight), payload: fromUtf8('a') })
  const second = chain.next({ dateMs: afterMidnight, dateHeader: dateHeader(afterMidnight), payload: fromUtf8('b') })
  t.equal(second, await sdkSignature(first, afterMidnight, fromUtf8('b')))
})

t.test('the same event signs differently after a different prior signature: envelopes cannot be replayed or reordered', async (t) => {
  const dateMs = Date.UTC(2026, 11, 7, 4, 0, 0)
  const event = { dateMs, dateHeader: dateHeader(dateMs), payload: fromUtf8('same') }
  const chain = new EventSignatureChain(ORIGIN, createSigningKeyCache(4))
  t.not(chain.next(event), chain.next(event))
})
