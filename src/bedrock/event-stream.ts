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

/** A frame starts with its total length, a big-endian uint32. */
const TOTAL_LENGTH_FIELD_BYTES = 4
/** Prelude (total length, headers length, prelude CRC) plus the message CRC: a frame with no headers and no payload. */
const MINIMUM_FRAME_BYTES = 16
/** The event-stream specification caps a message at 16 MiB of payload and 128 KiB of headers. */
const MAXIMUM_FRAME_BYTES = 16 * 1024 * 1024 + 128 * 1024 + MINIMUM_FRAME_BYTES
const BYTE_RADIX = 256

const codec = new EventStreamCodec(toUtf8, fromUtf8)

/**
 * A complete `:message-type: exception` frame, as Bedrock sends one when a stream fails after its 200: the SDKs'
 * stream iterators throw the named exception and botocore's EventStreamBuffer raises it by name.
 */
export function encodeExceptionFrame (exceptionType: string, message: string): Uint8Array {
  return codec.encode({
    headers: {
      [MESSAGE_TYPE_HEADER]: { type: 'string', value: EXCEPTION_MESSAGE_TYPE },
      [EXCEPTION_TYPE_HEADER]: { type: 'string', value: exceptionType },
      [CONTENT_TYPE_HEADER]: { type: 'string', value: JSON_CONTENT_TYPE }
    },
    body: fromUtf8(JSON.stringify({ message }))
  })
}

/**
 * Follows where frames start and end in an event stream that passes through in arbitrary chunks, by reading only
 * each frame's 4-byte total length, and keeps the latest complete frame when it is no longer than `keepFramesUpTo`
 * bytes. Whatever is appended to a stream (an exception frame after a failure) is only parseable if it starts exactly
 * at a frame boundary; a client would read it as the tail of a partial frame otherwise. Bedrock reports token usage
 * in the last event of both stream kinds, so the last frame is all the usage reader needs, decoded once at the end.
 * Kept frames hold slices of the chunks they came in: chunks must not be reused after being tracked (node and undici
 * hand out fresh buffers).
 */
export class EventStreamFrameTracker {
  readonly #keepFramesUpTo: number
  #lengthBytesSeen = 0
  #partialLength = 0
  #bytesLeftInFrame = 0
  #corrupt = false
  #completeFrames = 0
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

  /** True when everything passed so far consists of whole frames, so a new frame can follow. */
  get atFrameBoundary (): boolean {
    return !this.#corrupt && this.#bytesLeftInFrame === 0 && this.#lengthBytesSeen === 0
  }

  /** True once a frame announced a length no event stream can have: nothing that follows can be framed reliably. */
  get corrupt (): boolean {
    return this.#corrupt
  }

  get completeFrames (): number {
    return this.#completeFrames
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
    this.#completeFrames++
    this.#lastFrameLength = this.#currentLength
    this.#lastFrameParts = this.#currentParts
    this.#lastFrame = undefined
    this.#currentParts = undefined
  }
}
