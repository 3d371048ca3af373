import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import type { Agent } from 'undici'
import { eachPath, inTurns, mapPaths, pathNamed, type BenchPath, type BenchPaths, type PerPath } from './bench-path.ts'
import { failures, mergeRounds, pacedRun } from './paced.ts'
import { percentiles, type Percentiles } from './percentiles.ts'
import { timedRequest, type Timing } from './timed-request.ts'
import { CONVERSE_REQUEST_BODY, CONVERSE_STREAM_PATH } from './workload.ts'

export interface StreamResult {
  readonly path: string
  /** From each stream's due time to its first event-stream byte. */
  readonly firstByteMs: Percentiles
  readonly failed: number
  readonly firstError?: string
}

export interface SteadyStreamResult extends StreamResult {
  /** CPU of the process in the middle per stream (every frame of it); NaN for the direct path. */
  readonly proxyCpuMicrosPerStream: number
}

const streamRequest = { path: CONVERSE_STREAM_PATH, body: CONVERSE_REQUEST_BODY }

/**
 * ConverseStream calls started at a steady rate (open loop), each read to its end; the paths take turns, each turn
 * after an unmeasured warm-up at the same rate (see PacedSettings).
 */
export async function steadyStreams<P extends BenchPaths> (paths: P, agent: Agent,
  settings: { rateHz: number, warmUpSeconds: number, seconds: number, rounds: number }): Promise<PerPath<P, SteadyStreamResult>> {
  const perRound = Math.round((settings.rateHz * settings.seconds) / settings.rounds)
  const warmUp = Math.round(settings.rateHz * settings.warmUpSeconds)
  const intervalMs = 1000 / settings.rateHz
  const rounds = await inTurns(paths, settings.rounds, async (path) => {
    const send = (dueAt: number): Promise<Timing> => timedRequest(agent, path.target, streamRequest, dueAt)
    await pacedRun(path, warmUp, intervalMs, send)
    return await pacedRun(path, perRound, intervalMs, send)
  })
  return mapPaths(rounds, (pathRounds, key) => {
    const { times, proxyCpuMicrosPerRequest, ...rest } = mergeRounds(pathNamed(paths, key), pathRounds, (timing) => timing.firstByteMs)
    return { ...rest, firstByteMs: times, proxyCpuMicrosPerStream: proxyCpuMicrosPerRequest }
  })
}

/** `count` ConverseStream calls all due at the same instant (a fleet of agents waking together), each read to its end. */
export async function streamBurst (path: BenchPath, agent: Agent, count: number): Promise<StreamResult> {
  const dueAt = performance.now()
  const timings: Timing[] = await Promise.all(Array.from({ length: count }, () => timedRequest(agent, path.target, streamRequest, dueAt)))
  return { path: path.target.name, firstByteMs: percentiles(timings.filter((timing) => timing.ok).map((timing) => timing.firstByteMs)), ...failures(timings) }
}

/** Lets the streams of one burst finish and their connections go idle before the next. */
const SETTLE_MS = 500

/**
 * Two bursts per path. The first also opens the connections that a client pool in steady use would already hold
 * (and, through the gateway, its upstream pool's); the second is the figure.
 */
export async function streamBursts<P extends BenchPaths> (paths: P, agent: Agent, count: number): Promise<PerPath<P, { first: StreamResult, second: StreamResult }>> {
  return await eachPath(paths, async (path) => {
    const first = await streamBurst(path, agent, count)
    await sleep(SETTLE_MS)
    const second = await streamBurst(path, agent, count)
    await sleep(SETTLE_MS)
    return { first, second }
  })
}
