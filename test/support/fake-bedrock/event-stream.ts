import { EventStreamCodec } from '@smithy/eventstream-codec'
import type { Message } from '@smithy/eventstream-codec'
import { fromUtf8, toUtf8 } from '@smithy/util-utf8'
import { CONTENT_TYPE } from './constants.ts'

const codec = new EventStreamCodec(toUtf8, fromUtf8)

const MESSAGE_TYPE = ':message-type'
const EVENT_TYPE = ':event-type'
const EXCEPTION_TYPE = ':exception-type'
const FRAME_CONTENT_TYPE = ':content-type'
/** A frame starts with its total length, a big-endian uint32, so frames can be cut apart before decoding. */
const TOTAL_LENGTH_FIELD_BYTES = 4

function stringHeader (value: string): { type: 'string', value: string } {
  return { type: 'string', value }
}

/** A Buffer over the codec's freshly allocated bytes: callers concatenate, slice and compare frames as Buffers. */
function encodedFrame (message: Message): Buffer {
  const bytes = codec.encode(message)
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/** A `:message-type: event` frame with a JSON payload, CRCs and all, as Bedrock sends them in its response streams. */
export function eventFrame (eventType: string, payload: unknown): Buffer {
  return encodedFrame({
    headers: {
      [EVENT_TYPE]: stringHeader(eventType),
      [FRAME_CONTENT_TYPE]: stringHeader(CONTENT_TYPE.json),
      [MESSAGE_TYPE]: stringHeader('event')
    },
    body: fromUtf8(JSON.stringify(payload))
  })
}

/** A modeled error after the 200: `:message-type: exception`, payload `{"message": ...}`. */
export function exceptionFrame (exceptionType: string, message: string): Buffer {
  return encodedFrame({
    headers: {
      [EXCEPTION_TYPE]: stringHeader(exceptionType),
      [FRAME_CONTENT_TYPE]: stringHeader(CONTENT_TYPE.json),
      [MESSAGE_TYPE]: stringHeader('exception')
    },
    body: fromUtf8(JSON.stringify({ message }))
  })
}

export interface DecodedFrame {
  readonly headers: Record<string, string>
  /** Parsed as JSON: a payload that is not JSON fails the decode, as it would fail a client. */
  readonly payload: unknown
}

function decodedFrame (message: Message): DecodedFrame {
  const headers: Record<string, string> = {}
  for (const [name, header] of Object.entries(message.headers)) headers[name] = String(header.value)
  return { headers, payload: JSON.parse(toUtf8(message.body)) }
}

/**
 * Splits a whole event-stream body into frames and decodes each with the codec the SDK uses, which checks both CRCs.
 * Throws when the body does not end on a frame boundary: a truncated stream is an error, as it is for the clients.
 */
export function decodeFrames (body: Uint8Array): DecodedFrame[] {
  const frames: DecodedFrame[] = []
  let offset = 0
  while (offset < body.length) {
    if (body.length - offset < TOTAL_LENGTH_FIELD_BYTES) throw new Error(`stream ends inside a frame prelude at byte ${offset}`)
    const totalLength = new DataView(body.buffer, body.byteOffset + offset, TOTAL_LENGTH_FIELD_BYTES).getUint32(0)
    if (offset + totalLength > body.length) throw new Error(`stream ends inside a frame at byte ${offset}`)
    frames.push(decodedFrame(codec.decode(body.subarray(offset, offset + totalLength))))
    offset += totalLength
  }
  return frames
}
