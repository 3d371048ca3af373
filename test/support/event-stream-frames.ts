import { EventStreamCodec } from '@smithy/eventstream-codec'
import type { Message } from '@smithy/eventstream-codec'
import { fromUtf8, toUtf8 } from '@smithy/util-utf8'

const codec = new EventStreamCodec(toUtf8, fromUtf8)

/** A `:message-type: event` frame as Bedrock sends them in ConverseStream. */
export function eventFrame (eventType: string, payload: unknown): Buffer {
  return Buffer.from(codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' }
    },
    body: fromUtf8(JSON.stringify(payload))
  }))
}

export interface DecodedFrame {
  readonly headers: Record<string, string>
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
    if (body.length - offset < 4) throw new Error(`stream ends inside a frame prelude at byte ${offset}`)
    const totalLength = new DataView(body.buffer, body.byteOffset + offset, 4).getUint32(0)
    if (offset + totalLength > body.length) throw new Error(`stream ends inside a frame at byte ${offset}`)
    frames.push(decodedFrame(codec.decode(body.subarray(offset, offset + totalLength))))
    offset += totalLength
  }
  return frames
}
