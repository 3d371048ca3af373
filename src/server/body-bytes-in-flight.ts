import { Transform, type TransformCallback } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import type { LimitsConfig } from '../config/index.ts'
import type { GatewayDeps } from './handle-bedrock-request.ts'
import { LoadShedError } from './load-shed.ts'
import { screenedCallerOf } from './screen-before-body.ts'

type BodyLimits = Pick<LimitsConfig, 'maxBodyBytesInFlight' | 'maxBodyBytesInFlightPerClient'>

/** Request-body bytes being read or held, in total and per caller, from the first byte until the answer is done. */
export class BodyBytesInFlight {
  #total = 0
  readonly #byCaller = new Map<string, number>()

  /** Takes `bytes` for `caller` when both bounds leave room, and says whether it did. */
  reserve (caller: string, bytes: number, limits: BodyLimits): boolean {
    const callerBytes = this.#byCaller.get(caller) ?? 0
    if (this.#total + bytes > limits.maxBodyBytesInFlight || callerBytes + bytes > limits.maxBodyBytesInFlightPerClient) return false
    this.#total += bytes
    this.#byCaller.set(caller, callerBytes + bytes)
    return true
  }

  release (caller: string, bytes: number): void {
    if (bytes === 0) return
    this.#total -= bytes
    const left = (this.#byCaller.get(caller) ?? 0) - bytes
    if (left > 0) this.#byCaller.set(caller, left)
    else this.#byCaller.delete(caller)
  }
}

/**
 * Bounds the request bodies the gateway reads and holds at once, per caller and in total: past either bound a new
 * body is refused with a Bedrock-shaped 503 (ServiceUnavailableException, which SDKs retry) instead of growing the
 * process. A declared Content-Length is taken whole before the first byte is read; a body of unknown length is
 * taken as it arrives. The bytes are given back once the answer is done or the caller has gone. The bounds are read
 * per request, so a reload changes them for new requests.
 */
export function boundBodyBytesInFlight (app: FastifyInstance, deps: Pick<GatewayDeps, 'state'>, inFlight: BodyBytesInFlight): void {
  app.addHook('preParsing', (request, reply, payload, done) => {
    const caller = screenedCallerOf(request)
    const limits = deps.state().config.limits
    let held = 0
    reply.raw.once('close', () => {
      inFlight.release(caller, held)
      held = 0
    })
    const declared = Number(request.headers['content-length'])
    if (Number.isSafeInteger(declared) && declared >= 0) {
      // node refuses a body longer than its Content-Length, so the declared size is all it can hold.
      if (!inFlight.reserve(caller, declared, limits)) {
        done(new LoadShedError('body_bytes_in_flight'))
        return
      }
      held = declared
      done(null, payload)
      return
    }
    const counted = new Transform({
      transform (chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
        if (!inFlight.reserve(caller, chunk.length, limits)) {
          callback(new LoadShedError('body_bytes_in_flight'))
          return
        }
        held += chunk.length
        callback(null, chunk)
      }
    })
    payload.on('error', (error) => counted.destroy(error))
    done(null, payload.pipe(counted))
  })
}
