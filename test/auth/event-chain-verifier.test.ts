import t from 'tap'
import { fromUtf8 } from '@smithy/util-utf8'
import { EventChainVerifier } from '../../src/auth/event-chain-verifier.ts'
import { decodeEventEnvelope, encodeDateHeader, encodeEventEnvelope } from '../../src/bedrock/event-envelope.ts'
import { EventSignatureChain } from '../../src/sigv4/event-signature.ts'
import { createSigningKeyCache } from '../../src/sigv4/signature.ts'

const ORIGIN = { seed: 'c0ffee'.repeat(10) + 'c0ff', secret: 'caller-secret-for-tests-only', region: 'eu-west-2', service: 'bedrock' }
const NOW_MS = Date.UTC(2026, 11, 7, 4, 30, 0)
const SKEW_SECONDS = 300

function verifier (): EventChainVerifier {
  return new EventChainVerifier(ORIGIN, { signingKeys: createSigningKeyCache(4), clockSkewSeconds: SKEW_SECONDS, now: () => new Date(NOW_MS) })
}

/** A caller signing its envelopes on its own chain, as the SDKs do. */
function signer (): (payload: Uint8Array, dateMs?: number) => Uint8Array {
  const chain = new EventSignatureChain(ORIGIN, createSigningKeyCache(4))
  return (payload, dateMs = NOW_MS) => encodeEventEnvelope(dateMs, chain.next({ dateMs, dateHeader: encodeDateHeader(dateMs), payload }), payload)
}

t.test('envelopes signed in order on the caller\'s chain open to their inner events, the end frame too', async (t) => {
  const sign = signer()
  const open = verifier()
  t.same(Buffer.from(open.open(sign(fromUtf8('one')))), Buffer.from('one'))
  t.same(Buffer.from(open.open(sign(fromUtf8('two'), NOW_MS + 1000))), Buffer.from('two'))
  t.equal(open.open(sign(new Uint8Array(0))).length, 0)
})

t.test('an envelope whose payload changed after signing is refused', async (t) => {
  const signed = decodeEventEnvelope(signer()(fromUtf8('{"a":1}')))
  const changed = encodeEventEnvelope(signed.dateMs, Buffer.from(signed.signature).toString('hex'), fromUtf8('{"a":2}'))
  t.throws(() => verifier().open(changed), { name: 'InvalidSignatureException' })
})

t.test('an envelope sent twice is refused the second time', async (t) => {
  const sign = signer()
  const open = verifier()
  const first = sign(fromUtf8('once'))
  open.open(first)
  t.throws(() => open.open(first), { name: 'InvalidSignatureException' })
})

t.test('envelopes out of order are refused', async (t) => {
  const sign = signer()
  const first = sign(fromUtf8('first'))
  const second = sign(fromUtf8('second'))
  t.throws(() => verifier().open(second), { name: 'InvalidSignatureException' }, 'the second does not verify before the first')
  t.same(Buffer.from(verifier().open(first)), Buffer.from('first'))
})

t.test('an envelope signed with another key is refused', async (t) => {
  const chain = new EventSignatureChain({ ...ORIGIN, secret: 'someone-else' }, createSigningKeyCache(4))
  const payload = fromUtf8('x')
  const envelope = encodeEventEnvelope(NOW_MS, chain.next({ dateMs: NOW_MS, dateHeader: encodeDateHeader(NOW_MS), payload }), payload)
  t.throws(() => verifier().open(envelope), { name: 'InvalidSignatureException' })
})

t.test('an envelope dated outside the clock skew is refused, either way, however well signed', async (t) => {
  t.throws(() => verifier().open(signer()(fromUtf8('late'), NOW_MS - (SKEW_SECONDS + 60) * 1000)), { name: 'InvalidSignatureException', message: /Signature expired/ })
  t.throws(() => verifier().open(signer()(fromUtf8('early'), NOW_MS + (SKEW_SECONDS + 60) * 1000)), { name: 'InvalidSignatureException', message: /not yet current/ })
})
