import { createHash, type Hash } from 'node:crypto'
import type { Readable } from 'node:stream'
import { BedrockError, malformedRequestError } from '../core/index.ts'
import { HEX, SHA256, sha256Hex } from '../sigv4/index.ts'

/**
 * A request body exactly as received, in the chunks it arrived in, with the sha256 its signature and the upstream one
 * are checked and made with. The chunks are forwarded as they are; they are joined only for an operation that reads
 * its body, so a large body that names nothing in it (InvokeModel's) is never copied whole.
 */
export class ReceivedBody {
  #bytes: Buffer | undefined

  constructor (readonly chunks: readonly Buffer[], readonly length: number, readonly sha256Hex: string) {}

  /** The whole body in one buffer, joined on first use. */
  get bytes (): Buffer {
    this.#bytes ??= this.chunks.length === 1 ? this.chunks[0] as Buffer : Buffer.concat(this.chunks, this.length)
    return this.#bytes
  }

  /** What to send upstream: the whole body if something has joined it already, else its chunks (never joined twice). */
  get forwarded (): Buffer | readonly Buffer[] {
    return this.#bytes ?? this.chunks
  }
}

const EMPTY = Buffer.alloc(0)

/** What a request without a body (or one with `Content-Length: 0`) carries. */
export const NO_BODY = new ReceivedBody([], 0, sha256Hex(EMPTY))

export const BODY_TOO_LARGE_MESSAGE = 'the request body is larger than the gateway accepts'
export const BODY_LENGTH_MISMATCH_MESSAGE = 'the request body size did not match its Content-Length'
const PAYLOAD_TOO_LARGE = 413

/**
 * Reads a request body whole, at most `maxBytes` of it, hashing it while it arrives: a large body is hashed by the
 * time its last byte is in, rather than after, which is most of what reading it costs on top of the transfer. A body of
 * one chunk (nearly all of them) is hashed in one call instead. A declared length over the limit is refused before a
 * byte is read; one the body does not match, when it ends, is refused too. `done` is called exactly once.
 */
export function receiveBody (payload: Readable, declaredLength: number, maxBytes: number,
  done: (error: BedrockError | null, body?: ReceivedBody) => void): void {
  if (declaredLength > maxBytes) {
    done(malformedRequestError(BODY_TOO_LARGE_MESSAGE, PAYLOAD_TOO_LARGE))
    return
  }
  const chunks: Buffer[] = []
  let received = 0
  let hash: Hash | undefined
  const stop = (): void => {
    payload.removeListener('data', onData)
    payload.removeListener('end', onEnd)
    payload.removeListener('error', onError)
  }
  const onData = (chunk: Buffer): void => {
    received += chunk.length
    if (received > maxBytes) {
      stop()
      done(malformedRequestError(BODY_TOO_LARGE_MESSAGE, PAYLOAD_TOO_LARGE))
      return
    }
    if (hash === undefined && chunks.length === 1) hash = createHash(SHA256).update(chunks[0] as Buffer)
    hash?.update(chunk)
    chunks.push(chunk)
  }
  const onEnd = (): void => {
    stop()
    if (!Number.isNaN(declaredLength) && received !== declaredLength) {
      done(malformedRequestError(BODY_LENGTH_MISMATCH_MESSAGE))
      return
    }
    done(null, new ReceivedBody(chunks, received, hash === undefined ? sha256Hex(chunks[0] ?? EMPTY) : hash.digest(HEX)))
  }
  const onError = (error: Error): void => {
    stop()
    // The body budget refuses in Bedrock's shape already; anything else is the caller's stream breaking off.
    done(error instanceof BedrockError ? error : malformedRequestError(error.message))
  }
  payload.on('data', onData)
  payload.on('end', onEnd)
  payload.on('error', onError)
  payload.resume()
}
