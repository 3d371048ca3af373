import { createHash } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import type { Agent } from 'undici'
import type { BenchPath } from './bench-path.ts'
import { failures } from './paced.ts'
import { median } from './percentiles.ts'
import { peakRssMegabytes, resetPeakRss, rssMegabytes } from './process-memory.ts'
import { timedRequest, type Timing } from './timed-request.ts'
import { INVOKE_PATH, LARGE_BODY_BYTES, largeInvokeBody } from './workload.ts'

const MB = 1_000_000

export interface LargeBodyResult {
  readonly path: string
  readonly bodyBytes: number
  /** Each request, from signing to the last byte of the answer, in order. */
  readonly latencyMs: number[]
  readonly medianLatencyMs: number
  /** Body megabytes (10^6 bytes) per second at the median latency. */
  readonly megabytesPerSecond: number
  readonly failed: number
  readonly firstError?: string
  readonly proxyRssMB?: { readonly before: number, readonly peak: number, readonly peakIsSinceStart: boolean }
}

const body = largeInvokeBody()
/** Computed once, as an SDK that sends `x-amz-content-sha256` would per request: the client's hashing is not what is measured. */
const bodySha256Hex = createHash('sha256').update(body).digest('hex')

/** `requests` InvokeModel calls with a 20 MB body, one after the other (after one unmeasured warm-up). */
export async function largeBodies (path: BenchPath, agent: Agent, requests: number): Promise<LargeBodyResult> {
  const { proxy } = path
  const send = (): Promise<Timing> => timedRequest(agent, path.target, { path: INVOKE_PATH, body, bodySha256Hex }, performance.now())
  await send()
  const before = proxy === undefined ? NaN : rssMegabytes(proxy.pid)
  const peakIsSinceStart = proxy === undefined ? false : !resetPeakRss(proxy.pid)
  const timings: Timing[] = []
  for (let index = 0; index < requests; index++) timings.push(await send())
  const latencyMs = timings.map((timing) => Math.round(timing.totalMs * 10) / 10)
  const medianLatencyMs = median(latencyMs)
  return {
    path: path.target.name,
    bodyBytes: LARGE_BODY_BYTES,
    latencyMs,
    medianLatencyMs,
    megabytesPerSecond: Math.round(LARGE_BODY_BYTES / MB / (medianLatencyMs / 1000)),
    ...failures(timings),
    ...(proxy === undefined ? {} : { proxyRssMB: { before, peak: peakRssMegabytes(proxy.pid), peakIsSinceStart } })
  }
}
