import { EventStreamCodec } from '@smithy/eventstream-codec'
import { fromUtf8, toUtf8 } from '@smithy/util-utf8'
import { CONTENT_TYPE } from './constants.ts'

const codec = new EventStreamCodec(toUtf8, fromUtf8)

const MESSAGE_TYPE = ':message-type'
const EVENT_TYPE = ':event-type'
const EXCEPTION_TYPE = ':exception-type'
const FRAME_CONTENT_TYPE = ':content-type'

function stringHeader (value: string): { type: 'string', value: string } {
  return { type: 'string', value }
}

/** A `:message-type: event` frame with a JSON payload, CRCs and all. */
export function eventFrame (eventType: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      [EVENT_TYPE]: stringHeader(eventType),
      [FRAME_CONTENT_TYPE]: stringHeader(CONTENT_TYPE.json),
      [MESSAGE_TYPE]: stringHeader('event')
    },
    body: fromUtf8(JSON.stringify(payload))
  })
}

/** A modeled error after the 200: `:message-type: exception`, payload `{"message": ...}`. */
export function exceptionFrame (exceptionType: string, message: string): Uint8Array {
  return codec.encode({
    headers: {
      [EXCEPTION_TYPE]: stringHeader(exceptionType),
      [FRAME_CONTENT_TYPE]: stringHeader(CONTENT_TYPE.json),
      [MESSAGE_TYPE]: stringHeader('exception')
    },
    body: fromUtf8(JSON.stringify({ message }))
  })
}

/** JSON payloads parsed; an unmodeled error frame's empty body is undefined; anything else stays text. */
function parsePayload (text: string): unknown {
  if (text === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** Splits a byte stream back into decoded messages (for tests that read the wire themselves); checks both CRCs. */
export function decodeFrames (bytes: Uint8Array): Array<{ headers: Record<string, string>, payload: unknown }> {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const messages: Array<{ headers: Record<string, string>, payload: unknown }> = []
  for (let offset = 0; offset < view.byteLength;) {
    // the prelude starts with the frame's total length, so frames can be cut apart before decoding
    const totalLength = view.readUInt32BE(offset)
    const message = codec.decode(view.subarray(offset, offset + totalLength))
    const headers: Record<string, string> = {}
    for (const [name, header] of Object.entries(message.headers)) headers[name] = String(header.value)
    messages.push({ headers, payload: parsePayload(toUtf8(message.body)) })
    offset += totalLength
  }
  return messages
}
