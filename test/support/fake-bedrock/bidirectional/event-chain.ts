import { createHash, timingSafeEqual } from 'node:crypto'
import { hmac, signingKey } from '../sigv4/signing-key.ts'
import { SIGV4_SCOPE_TERMINATOR } from '../constants.ts'

/**
 * The event-signing scheme of SigV4 event streams, written from its description alone (the AWS SDKs' signEvent):
 * each envelope's signature is HMAC-SHA256, under the signing key of the envelope's own day, of
 *   AWS4-HMAC-SHA256-PAYLOAD \n <:date as YYYYMMDDTHHMMSSZ> \n <date/region/service/aws4_request> \n <prior signature>
 *   \n <sha256 hex of the encoded :date header> \n <sha256 hex of the payload>
 * starting from the signature of the request that opened the stream.
 */
const EVENT_ALGORITHM = 'AWS4-HMAC-SHA256-PAYLOAD'
const DATE_HEADER_NAME = ':date'
const TIMESTAMP_TYPE = 8

function sha256Hex (bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** `:date` as the envelope's headers encode it: name length, name, type 8, big-endian int64 milliseconds. */
export function encodedDateHeader (dateMs: number): Buffer {
  const name = Buffer.from(DATE_HEADER_NAME, 'utf8')
  const value = Buffer.alloc(8)
  value.writeBigInt64BE(BigInt(dateMs))
  return Buffer.concat([Buffer.from([name.length]), name, Buffer.from([TIMESTAMP_TYPE]), value])
}

function longDate (dateMs: number): string {
  return new Date(dateMs).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
}

export interface ChainKey {
  readonly secretAccessKey: string
  readonly region: string
  readonly service: string
}

/** The signature an envelope dated `dateMs` around `payload` must carry after `prior`. */
export function envelopeSignature (key: ChainKey, prior: string, dateMs: number, payload: Uint8Array): Buffer {
  const amzDate = longDate(dateMs)
  const day = amzDate.slice(0, 8)
  const stringToSign = [
    EVENT_ALGORITHM,
    amzDate,
    [day, key.region, key.service, SIGV4_SCOPE_TERMINATOR].join('/'),
    prior,
    sha256Hex(encodedDateHeader(dateMs)),
    sha256Hex(payload)
  ].join('\n')
  return hmac(signingKey(key.secretAccessKey, day, key.region, key.service), stringToSign)
}

/** Walks a chain from its seed: `accept` says whether the next envelope carries the expected signature. */
export class ChainChecker {
  #prior: string
  readonly #key: ChainKey

  constructor (key: ChainKey, seed: string) {
    this.#key = key
    this.#prior = seed
  }

  accept (dateMs: number, signature: Uint8Array, payload: Uint8Array): boolean {
    const expected = envelopeSignature(this.#key, this.#prior, dateMs, payload)
    this.#prior = expected.toString('hex')
    return signature.length === expected.length && timingSafeEqual(expected, signature)
  }
}
