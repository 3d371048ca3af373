import { performance } from 'node:perf_hooks'
import { Agent } from 'undici'
import type { LoadTarget } from './load-target.ts'
import type { OutgoingRequest } from './sigv4-client.ts'

const OK = 200
/** Bounds every request, so no case can wait forever on a stuck one. */
const REQUEST_TIMEOUT_MS = 30_000
const KEEP_ALIVE_MS = 120_000

export interface Timing {
  readonly ok: boolean
  /** Milliseconds from `startedAt` to the first body byte. */
  readonly firstByteMs: number
  /** Milliseconds from `startedAt` to the last body byte. */
  readonly totalMs: number
  readonly bytes: number
  readonly error?: string
}

/** The bench's HTTP/1.1 client: keep-alive, and never a cap on connections (a capped pool queues bursts in waves). */
export function createClientAgent (): Agent {
  return new Agent({
    connections: null,
    keepAliveTimeout: KEEP_ALIVE_MS,
    keepAliveMaxTimeout: KEEP_ALIVE_MS,
    headersTimeout: REQUEST_TIMEOUT_MS,
    bodyTimeout: REQUEST_TIMEOUT_MS
  })
}

/**
 * Signs (a real client signs each request: that is client time, counted the same on both paths), sends, and reads
 * the whole answer. Times are measured from `startedAt`, the moment the request was due, not when it went out.
 */
export async function timedRequest (agent: Agent, target: LoadTarget, request: OutgoingRequest, startedAt: number): Promise<Timing> {
  let firstByteAt = NaN
  let bytes = 0
  try {
    const path = target.pathPrefix + request.path
    const headers = await target.sign({ ...request, path })
    const response = await agent.request({ origin: target.origin, method: 'POST', path, headers, body: request.body })
    for await (const chunk of response.body) {
      if (bytes === 0) firstByteAt = performance.now()
      bytes += (chunk as Buffer).length
    }
    const doneAt = performance.now()
    const ok = response.statusCode === OK
    return { ok, firstByteMs: firstByteAt - startedAt, totalMs: doneAt - startedAt, bytes, ...(ok ? {} : { error: `status ${response.statusCode}` }) }
  } catch (error) {
    return { ok: false, firstByteMs: NaN, totalMs: NaN, bytes, error: error instanceof Error ? error.message : String(error) }
  }
}
