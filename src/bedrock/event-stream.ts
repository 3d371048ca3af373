import { crc32 } from 'node:zlib'
import { EventStreamCodec } from '@smithy/eventstream-codec'
import { fromUtf8, toUtf8 } from '@smithy/util-utf8'
import { JSON_CONTENT_TYPE } from '../core/index.ts'

export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream'

/** The `:exception-type` Bedrock uses for its own failures inside a stream; every client maps it to InternalServerException. */
export const INTERNAL_SERVER_EXCEPTION_EVENT = 'internalServerException'
/** Modeled in both response streams; clients map it to ServiceUnavailableException, which they retry. */
export const SERVICE_UNAVAILABLE_EXCEPTION_EVENT = 'serviceUnavailableException'

export const MESSAGE_TYPE_HEADER = ':message-type'
const EXCEPTION_TYPE_HEADER = ':exception-type'
const CONTENT_TYPE_HEADER = ':content-type'
const EXCEPTION_MESSAGE_TYPE = 'exception'
const EVENT_TYPE_HEADER = ':event-type'
const EVENT_MESSAGE_TYPE = 'event'

/** A frame starts with its total length, a big-endian uint32. */
const TOTAL_LENGTH_FIELD_BYTES = 4
/** Prelude (total length, headers length, prelude CRC) plus the message CRC: a frame with no headers and no payload. */
const MINIMUM_FRAME_BYTES = 16
/** The event-stream specification caps a message at 16 MiB of payload and 128 KiB of headers. */
const MAXIMUM_FRAME_BYTES = 16 * 1024 * 1024 + 128 * 1024 + MINIMUM_FRAME_BYTES
const BYTE_RADIX = 256
/** Total length, headers length, then the CRC32 of those 8 bytes. */
const PRELUDE_BYTES = 12
const PRELUDE_CHECKED_BYTES = 8
const HEADERS_LENGTH_OFFSET = 4
const MESSAGE_CRC_BYTES = 4
const NOTHING = Buffer.alloc(0)

const codec = new EventStreamCodec(toUtf8, fromUtf8)

/** A frame with a JSON payload and the three headers every Bedrock response-stream message carries. */
function encodeJsonFrame (messageType: string, typeHeader: string, type: string, payload: unknown): Uint8Array {
  return codec.encode({
    headers: {
      [MESSAGE_TYPE_HEADER]: { type: 'string', value: messageType },
      [typeHeader]: { type: 'string', value: type },
      [CONTENT_TYPE_HEADER]: { type: 'string', value: JSON_CONTENT_TYPE }
    },
    body: fromUtf8(JSON.stringify(payload))
  })
}

/** A complete `:message-type: event` frame with a JSON payload, as Bedrock's response streams carry their events. */
export function encodeEventFrame (eventType: string, payload: unknown): Uint8Array {
  return encodeJsonFrame(EVENT_MESSAGE_TYPE, EVENT_TYPE_HEADER, eventType, payload)
}

/**
 * A complete `:message-type: exception` frame, as Bedrock sends one when a stream fails after its 200: the SDKs'
 * stream iterators throw the named exception and botocore's EventStreamBuffer raises it by name.
 */
export function encodeExceptionFrame (exceptionType: string, message: string): Uint8Array {
  return encodeJsonFrame(EXCEPTION_MESSAGE_TYPE, EXCEPTION_TYPE_HEADER, exceptionType, { message })
}

/**
 * Follows where frames start and end in an event stream that passes through in arbitrary chunks, by reading only
 * each frame's 4-byte total length, and keeps the latest complete frame when it is no longer than `keepFramesUpTo`
 * bytes. Bedrock reports token usage in the last event of both stream kinds, so the last frame is all the usage
 * reader needs, decoded once at the end.
 * Kept frames hold slices of the chunks they came in: chunks must not be reused after being tracked (node and undici
 * hand out fresh buffers).
 */
export class EventStreamFrameTracker {
  readonly #keepFramesUpTo: number
  #lengthBytesSeen = 0
  #partialLength = 0
  #bytesLeftInFrame = 0
  #corrupt = false
  /** The frame being read, when it is one to keep: its length, then the slices of its bytes after the length field. */
  #currentLength = 0
  #currentParts: Uint8Array[] | undefined
  #lastFrameLength = 0
  #lastFrameParts: Uint8Array[] | undefined
  #lastFrame: Uint8Array | undefined

  /** `keepFramesUpTo`: 0 keeps no frame. */
  constructor (keepFramesUpTo = 0) {
    this.#keepFramesUpTo = keepFramesUpTo
  }

  track (chunk: Uint8Array): void {
    let offset = 0
    while (offset < chunk.length && !this.#corrupt) {
      if (this.#bytesLeftInFrame > 0) {
        const step = Math.min(this.#bytesLeftInFrame, chunk.length - offset)
        this.#currentParts?.push(chunk.subarray(offset, offset + step))
        this.#bytesLeftInFrame -= step
        offset += step
        if (this.#bytesLeftInFrame === 0) this.#endFrame()
        continue
      }
      this.#partialLength = this.#partialLength * BYTE_RADIX + (chunk[offset] as number)
      this.#lengthBytesSeen++
      offset++
      if (this.#lengthBytesSeen === TOTAL_LENGTH_FIELD_BYTES) this.#startFrame(this.#partialLength)
    }
  }

  /** The latest complete frame, unless it was longer than the tracker keeps or the stream turned corrupt. */
  lastFrame (): Uint8Array | undefined {
    const parts = this.#lastFrameParts
    if (this.#corrupt || parts === undefined) return undefined
    if (this.#lastFrame === undefined) {
      // The length field is written back only here, once, rather than kept for every frame that passes.
      const frame = Buffer.allocUnsafe(this.#lastFrameLength)
      frame.writeUInt32BE(this.#lastFrameLength)
      let offset = TOTAL_LENGTH_FIELD_BYTES
      for (const part of parts) {
        frame.set(part, offset)
        offset += part.length
      }
      this.#lastFrame = frame
    }
    return this.#lastFrame
  }

  #startFrame (totalLength: number): void {
    this.#lengthBytesSeen = 0
    this.#partialLength = 0
    if (totalLength < MINIMUM_FRAME_BYTES || totalLength > MAXIMUM_FRAME_BYTES) {
      this.#corrupt = true
      this.#currentParts = undefined
      this.#lastFrameParts = undefined
      return
    }
    this.#bytesLeftInFrame = totalLength - TOTAL_LENGTH_FIELD_BYTES
    this.#currentLength = totalLength
    this.#currentParts = totalLength <= this.#keepFramesUpTo ? [] : undefined
  }

  #endFrame (): void {
    this.#lastFrameLength = this.#currentLength
    this.#lastFrameParts = this.#currentParts
    this.#lastFrame = undefined
    this.#currentParts = undefined
  }
}

/**
 * Lets through only whole event-stream frames whose lengths are possible and whose prelude and message CRCs match,
 * holding back the bytes of a frame until all of it has arrived. What a caller has received is then always whole
 * frames, so whatever goes wrong upstream (a partial frame before a clean end or a break, a bad CRC, an impossible
 * length) can be answered with an exception frame appended after the last good one, which every SDK reads as the
 * stream's error; relaying the partial frame would make the stream look complete to some clients, or splice the
 * exception into the broken frame. Holds at most one frame (16 MiB at the very most; Bedrock's are a few KiB).
 */
export class EventStreamFrameGate {
  /** The bytes held back: the start of a frame whose end has not arrived. */
  #held: Buffer[] = []
  #heldBytes = 0
  /** How many held bytes the next check needs: a whole prelude, then the whole frame. */
  #needed = PRELUDE_BYTES
  #corrupt = false

  /** The whole, checked frames this chunk completes, in order (possibly none); nothing once the stream is corrupt. */
  admit (chunk: Buffer): Buffer {
    if (this.#corrupt) return NOTHING
    this.#held.push(chunk)
    this.#heldBytes += chunk.length
    if (this.#heldBytes < this.#needed) return NOTHING
    // Joined only once a check can be made, so a large frame arriving in small chunks is copied once, not per chunk.
    const data = this.#held.length === 1 ? chunk : Buffer.concat(this.#held, this.#heldBytes)
    let passed = 0
    this.#needed = PRELUDE_BYTES
    while (data.length - passed >= PRELUDE_BYTES) {
      const totalLength = data.readUInt32BE(passed)
      if (!isPossiblePrelude(data, passed, totalLength)) {
        this.#corrupt = true
        break
      }
      if (data.length - passed < totalLength) {
        this.#needed = totalLength
        break
      }
      const messageCrcAt = passed + totalLength - MESSAGE_CRC_BYTES
      if (crc32(data.subarray(passed, messageCrcAt)) !== data.readUInt32BE(messageCrcAt)) {
        this.#corrupt = true
        break
      }
      passed += totalLength
    }
    const rest = this.#corrupt ? NOTHING : data.subarray(passed)
    this.#held = rest.length === 0 ? [] : [rest]
    this.#heldBytes = rest.length
    return data.subarray(0, passed)
  }

  /** True when bytes of a frame that never completed are held back: a stream ending now was cut short. */
  get holdsPartialFrame (): boolean {
    return this.#heldBytes > 0
  }

  /** True once a frame failed its checks: nothing from it on is let through. */
  get corrupt (): boolean {
    return this.#corrupt
  }
}

function isPossiblePrelude (data: Buffer, at: number, totalLength: number): boolean {
  if (totalLength < MINIMUM_FRAME_BYTES || totalLength > MAXIMUM_FRAME_BYTES) return false
  if (data.readUInt32BE(at + HEADERS_LENGTH_OFFSET) > totalLength - MINIMUM_FRAME_BYTES) return false
  return crc32(data.subarray(at, at + PRELUDE_CHECKED_BYTES)) === data.readUInt32BE(at + PRELUDE_CHECKED_BYTES)
}

/** The frames of a run of whole frames (what EventStreamFrameGate lets through), each a view of the same bytes. */
export function splitFrames (frames: Buffer): Buffer[] {
  const split: Buffer[] = []
  for (let at = 0; at < frames.length;) {
    const totalLength = frames.readUInt32BE(at)
    split.push(frames.subarray(at, at + totalLength))
    at += totalLength
  }
  return split
}
