import { formatAmzDate } from './amz-date.ts'
import { LINE_BREAK, SCOPE_DATE_LENGTH } from './constants.ts'
import { computeSignature, credentialScope, sha256Hex, type SigningKeyCache } from './signature.ts'

/** The algorithm line of every event's string to sign. */
export const EVENT_SIGNING_ALGORITHM = 'AWS4-HMAC-SHA256-PAYLOAD'
/**
 * The `x-amz-content-sha256` of a request whose body is a stream of signed events: the literal stands for the payload
 * hash in the request's canonical request, since the body is not known when the request is signed.
 */
export const STREAMING_EVENTS_PAYLOAD = 'STREAMING-AWS4-HMAC-SHA256-EVENTS'

/** Where a chain of event signatures starts and whose key it uses. */
export interface EventChainOrigin {
  /** The hex signature of the request that opened the stream: the prior signature of its first event. */
  readonly seed: string
  readonly secret: string
  readonly region: string
  readonly service: string
}

/** What one event's signature covers. */
export interface SignableEvent {
  /** The event's `:date`, in epoch milliseconds; its whole second and day go into the string to sign. */
  readonly dateMs: number
  /** The encoded `:date` header, exactly as it travels: its hash is signed, not the `:chunk-signature`. */
  readonly dateHeader: Uint8Array
  /** The envelope's payload (the inner event), or nothing for the end frame. */
  readonly payload: Uint8Array
}

/**
 * An event's string to sign: algorithm, date, scope, prior signature, hash of the `:date` header, hash of the payload.
 */
export function eventStringToSign (amzDate: string, scope: string, priorSignature: string, dateHeader: Uint8Array, payload: Uint8Array): string {
  return EVENT_SIGNING_ALGORITHM + LINE_BREAK +
    amzDate + LINE_BREAK +
    scope + LINE_BREAK +
    priorSignature + LINE_BREAK +
    sha256Hex(dateHeader) + LINE_BREAK +
    sha256Hex(payload)
}

/**
 * Each event's signature chains to the one before, starting from the request's own: whoever signs and whoever verifies
 * walk the same chain, one event at a time and in order. The key is the day's signing key of each event's own date,
 * so a stream that crosses midnight keeps verifying.
 */
export class EventSignatureChain {
  readonly #origin: EventChainOrigin
  readonly #signingKeys: SigningKeyCache
  #prior: string

  constructor (origin: EventChainOrigin, signingKeys: SigningKeyCache) {
    this.#origin = origin
    this.#signingKeys = signingKeys
    this.#prior = origin.seed
  }

  /** The next event's signature (hex); the chain moves on to it. */
  next (event: SignableEvent): string {
    const amzDate = formatAmzDate(event.dateMs)
    const date = amzDate.slice(0, SCOPE_DATE_LENGTH)
    const { secret, region, service } = this.#origin
    const scope = credentialScope(date, region, service)
    const signature = computeSignature(this.#signingKeys.get(secret, date, region, service),
      eventStringToSign(amzDate, scope, this.#prior, event.dateHeader, event.payload))
    this.#prior = signature
    return signature
  }
}
