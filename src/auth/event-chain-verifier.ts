import { BedrockError } from '../core/index.ts'
import { decodeEventEnvelope } from '../bedrock/index.ts'
import { EventSignatureChain, type EventChainOrigin, formatAmzDate, HEX, type SigningKeyCache } from '../sigv4/index.ts'
import { EVENT_SIGNATURE_MISMATCH } from './messages.ts'
import { checkClockSkew, signaturesMatch } from './verify-sigv4.ts'

export interface EventChainVerification {
  readonly signingKeys: SigningKeyCache
  readonly clockSkewSeconds: number
  readonly now: () => Date
}

/**
 * Opens the envelopes a SigV4 caller sends on a bidirectional stream, in order: each must be dated within the clock
 * skew and carry the next signature of the chain that starts at the request's own, computed with the caller's key.
 * A tampered, missing, replayed or reordered envelope breaks the chain, and so does everything after it: the caller
 * of `open` ends the stream at the first refusal.
 */
export class EventChainVerifier {
  readonly #chain: EventSignatureChain
  readonly #verification: EventChainVerification

  constructor (origin: EventChainOrigin, verification: EventChainVerification) {
    this.#chain = new EventSignatureChain(origin, verification.signingKeys)
    this.#verification = verification
  }

  /** The inner event of one whole envelope frame; a BedrockError when the envelope does not verify. */
  open (frame: Uint8Array): Uint8Array {
    const envelope = decodeEventEnvelope(frame)
    const { clockSkewSeconds, now } = this.#verification
    checkClockSkew(formatAmzDate(envelope.dateMs), envelope.dateMs, now(), clockSkewSeconds)
    const expected = this.#chain.next(envelope)
    if (!signaturesMatch(Buffer.from(envelope.signature).toString(HEX), expected)) {
      throw new BedrockError('InvalidSignatureException', EVENT_SIGNATURE_MISMATCH)
    }
    return envelope.payload
  }
}
