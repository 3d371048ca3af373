import autocannon, { type Options } from 'autocannon'
import { performance } from 'node:perf_hooks'
import { cpuDuring, perRequest } from './cpu-usage.ts'
import { eachPath, inTurns, mapPaths, pathNamed, type BenchPath, type BenchPaths, type PerPath } from './bench-path.ts'
import type { MeasuredProcess } from './measured-process.ts'
import { median, range, type Range } from './percentiles.ts'
import { CONVERSE_PATH, CONVERSE_REQUEST_BODY } from './workload.ts'

export interface SaturationSettings {
  readonly connections: number
  /**
   * Requests each path gets before anything is measured. Counted rather than timed, because the JIT warms up per
   * call: through the gateway, CPU per request was still falling after 10,000 requests on a busy 2-core machine.
   */
  readonly warmUpRequests: number
  readonly seconds: number
  readonly rounds: number
}

export interface SaturationRun {
  readonly requestsPerSecond: number
  /** CPU of the process in the middle (gateway or pass-through) per completed request; NaN for the direct path. */
  readonly proxyCpuMicrosPerRequest: number
  readonly upstreamCpuMicrosPerRequest: number
  readonly latencyP50Ms: number
  readonly latencyP99Ms: number
  /** Errors, timeouts and non-200 answers: anything but 0 makes the run worthless. */
  readonly failed: number
}

export interface SaturationResult {
  readonly path: string
  /** Medians over the rounds. */
  readonly requestsPerSecond: number
  readonly proxyCpuMicrosPerRequest: number
  readonly upstreamCpuMicrosPerRequest: number
  readonly latencyP50Ms: number
  readonly latencyP99Ms: number
  readonly failed: number
  /** Lowest and highest round, next to each median: how far one round can be from another on this machine. */
  readonly spread: {
    readonly requestsPerSecond: Range
    readonly proxyCpuMicrosPerRequest: Range
  }
  readonly rounds: SaturationRun[]
}

async function autocannonOptions (path: BenchPath): Promise<Options> {
  const target = path.target.pathPrefix + CONVERSE_PATH
  const headers = await path.target.sign({ path: target, body: CONVERSE_REQUEST_BODY })
  return { url: path.target.origin + target, method: 'POST', headers, body: CONVERSE_REQUEST_BODY }
}

async function runOnce (path: BenchPath, upstream: MeasuredProcess, settings: SaturationSettings): Promise<SaturationRun> {
  const options = { ...await autocannonOptions(path), connections: settings.connections, duration: settings.seconds }
  const measured = path.proxy === undefined ? [upstream] : [upstream, path.proxy]
  const startedAt = performance.now()
  const { result, cpuMicros } = await cpuDuring(measured, () => autocannon(options))
  const elapsedSeconds = (performance.now() - startedAt) / 1000
  const completed = result['2xx']
  return {
    requestsPerSecond: Math.round(completed / elapsedSeconds),
    proxyCpuMicrosPerRequest: path.proxy === undefined ? NaN : perRequest(cpuMicros[1], completed),
    upstreamCpuMicrosPerRequest: perRequest(cpuMicros[0], completed),
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    failed: result.errors + result.timeouts + result.non2xx
  }
}

/**
 * Closed-loop saturation with autocannon: `connections` callers sending the 2 KB Converse back to back. Every request
 * carries the same signature, made with a fresh x-amz-date (valid 5 minutes; the gateway, like Bedrock, keeps no
 * replay cache), so the load generator spends nothing on signing. Each path is warmed up first, then the paths take
 * turns for `rounds` rounds, so that a change in the machine's background load falls on all of them alike; the
 * figures are the medians of the rounds.
 */
export async function saturation<P extends BenchPaths> (paths: P, upstream: MeasuredProcess,
  settings: SaturationSettings): Promise<PerPath<P, SaturationResult>> {
  await eachPath(paths, async (path) => autocannon({ ...await autocannonOptions(path), connections: settings.connections, amount: settings.warmUpRequests }))
  const runs = await inTurns(paths, settings.rounds, (path) => runOnce(path, upstream, settings))
  return mapPaths(runs, (rounds, key) => {
    const path = pathNamed(paths, key)
    const middle = (pick: (run: SaturationRun) => number): number => median(rounds.map(pick))
    return {
      path: path.target.name,
      requestsPerSecond: middle((run) => run.requestsPerSecond),
      proxyCpuMicrosPerRequest: middle((run) => run.proxyCpuMicrosPerRequest),
      upstreamCpuMicrosPerRequest: middle((run) => run.upstreamCpuMicrosPerRequest),
      latencyP50Ms: middle((run) => run.latencyP50Ms),
      latencyP99Ms: middle((run) => run.latencyP99Ms),
      failed: rounds.reduce((sum, run) => sum + run.failed, 0),
      spread: {
        requestsPerSecond: range(rounds.map((run) => run.requestsPerSecond)),
        proxyCpuMicrosPerRequest: range(rounds.map((run) => run.proxyCpuMicrosPerRequest))
      },
      rounds
    }
  })
}
