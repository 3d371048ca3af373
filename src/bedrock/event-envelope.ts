import { EventStreamCodec, HeaderMarshaller, type MessageHeaders } from '@smithy/eventstream-codec'
import { fromUtf8, toUtf8 } from '@smithy/util-utf8'
import { BedrockError } from '../core/index.ts'

/**
 * The envelope every event a client sends on a bidirectional stream travels in: a frame whose only headers are
 * `:date` and `:chunk-signature`, and whose payload is the encoded inner event (nothing, for the end frame).
 */
const DATE_HEADER = ':date'
const CHUNK_SIGNATURE_HEADER = ':chunk-signature'
/** A SigV4 signature is a SHA-256 HMAC. */
const SIGNATURE_BYTES = 32

const codec = new EventStreamCodec(toUtf8, fromUtf8)
const headerMarshaller = new HeaderMarshaller(toUtf8, fromUtf8)

export interface EventEnvelope {
  readonly dateMs: number
  /** The `:date` header encoded as it is signed: the same bytes whatever order the envelope's headers came in. */
  readonly dateHeader: Uint8Array
  /** The 32 signature bytes, as carried. */
  readonly signature: Uint8Array
  readonly payload: Uint8Array
}

function dateHeaders (dateMs: number): MessageHeaders {
  return { [DATE_HEADER]: { type: 'timestamp', value: new Date(dateMs) } }
}

/** The encoded `:date` header of an envelope dated `dateMs`: what an event's signature hashes. */
export function encodeDateHeader (dateMs: number): Uint8Array {
  return headerMarshaller.format(dateHeaders(dateMs))
}

function malformedEnvelope (what: string): BedrockError {
  return new BedrockError('ValidationException', `An event on the stream is not a signed event envelope: ${what}.`)
}

/**
 * Reads one whole, CRC-checked frame as an envelope. Anything but exactly a timestamp `:date` and a 32-byte
 * `:chunk-signature` is refused: no other header could be signed, so none may ride along.
 */
export function decodeEventEnvelope (frame: Uint8Array): EventEnvelope {
  let message
  try {
    message = codec.decode(frame)
  } catch {
    throw malformedEnvelope('its frame does not decode')
  }
  const { headers } = message
  const date = headers[DATE_HEADER]
  const signature = headers[CHUNK_SIGNATURE_HEADER]
  if (Object.keys(headers).length !== 2 || date?.type !== 'timestamp' || signature?.type !== 'binary') {
    throw malformedEnvelope(`it must carry exactly the headers ${DATE_HEADER} and ${CHUNK_SIGNATURE_HEADER}`)
  }
  if (signature.value.length !== SIGNATURE_BYTES) throw malformedEnvelope(`${CHUNK_SIGNATURE_HEADER} must be ${SIGNATURE_BYTES} bytes`)
  const dateMs = date.value.getTime()
  return { dateMs, dateHeader: encodeDateHeader(dateMs), signature: signature.value, payload: message.body }
}

/** An envelope around `payload`, dated `dateMs` and carrying `signatureHex`, as the AWS SDKs write it. */
export function encodeEventEnvelope (dateMs: number, signatureHex: string, payload: Uint8Array): Uint8Array {
  return codec.encode({
    headers: {
      ...dateHeaders(dateMs),
      [CHUNK_SIGNATURE_HEADER]: { type: 'binary', value: Buffer.from(signatureHex, 'hex') }
    },
    body: payload
  })
}
