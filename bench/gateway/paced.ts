import type { Agent } from 'undici'
import { inTurns, mapPaths, pathNamed, type BenchPath, type BenchPaths, type PerPath } from './bench-path.ts'
import { cpuDuring, perRequest } from './cpu-usage.ts'
import { openLoop } from './open-loop.ts'
import { percentiles, type Percentiles } from './percentiles.ts'
import { timedRequest, type Timing } from './timed-request.ts'
import { CONVERSE_PATH, CONVERSE_REQUEST_BODY } from './workload.ts'

export interface PacedSettings {
  readonly rateHz: number
  /**
   * Unmeasured load at the same rate just before each measured turn. A path that sat idle while the others took
   * their turn answers its first requests slowly (on the client side too: the first request of a turn took 15-25 ms
   * here), and at this rate the queue that builds behind them takes a second or more to drain.
   */
  readonly warmUpSeconds: number
  /** Measured time per path, split into `rounds` turns. */
  readonly seconds: number
  readonly rounds: number
}

export interface PacedResult {
  readonly path: string
  /** From each request's due time to the last byte of its answer. */
  readonly latencyMs: Percentiles
  readonly failed: number
  readonly firstError?: string
  /** CPU of the process in the middle per request at this rate; NaN for the direct path. */
  readonly proxyCpuMicrosPerRequest: number
  /** Each round's own p99, in round order: the paths took their turns round by round, so round i of each is comparable. */
  readonly roundP99Ms: number[]
}

export function failures (timings: readonly Timing[]): { failed: number, firstError?: string } {
  const failed = timings.filter((timing) => !timing.ok)
  return { failed: failed.length, ...(failed[0]?.error === undefined ? {} : { firstError: failed[0].error }) }
}

const okTimes = (timings: readonly Timing[], pick: (timing: Timing) => number): number[] =>
  timings.filter((timing) => timing.ok).map(pick)

/** `count` requests made by `send`, one every `intervalMs` (open loop), with the proxy's CPU over the run. */
export async function pacedRun (path: BenchPath, count: number, intervalMs: number,
  send: (dueAt: number) => Promise<Timing>): Promise<{ timings: Timing[], proxyCpuMicros: number }> {
  const { result, cpuMicros } = await cpuDuring(path.proxy === undefined ? [] : [path.proxy],
    () => openLoop(count, intervalMs, (_index, dueAt) => send(dueAt)))
  return { timings: result, proxyCpuMicros: cpuMicros[0] ?? NaN }
}

/** Merges the rounds of each path into one set of figures. */
export function mergeRounds (path: BenchPath, rounds: ReadonlyArray<{ timings: Timing[], proxyCpuMicros: number }>,
  pick: (timing: Timing) => number): { path: string, times: Percentiles, failed: number, firstError?: string, proxyCpuMicrosPerRequest: number } {
  const timings = rounds.flatMap((round) => round.timings)
  const cpuMicros = rounds.reduce((sum, round) => sum + round.proxyCpuMicros, 0)
  return {
    path: path.target.name,
    times: percentiles(okTimes(timings, pick)),
    ...failures(timings),
    proxyCpuMicrosPerRequest: path.proxy === undefined ? NaN : perRequest(cpuMicros, timings.length)
  }
}

/** One signed 2 KB Converse every 1/rate seconds, open loop, each timed from its due time; the paths take turns. */
export async function pacedConverse<P extends BenchPaths> (paths: P, agent: Agent, settings: PacedSettings): Promise<PerPath<P, PacedResult>> {
  const intervalMs = 1000 / settings.rateHz
  const sender = (path: BenchPath) => (dueAt: number): Promise<Timing> =>
    timedRequest(agent, path.target, { path: CONVERSE_PATH, body: CONVERSE_REQUEST_BODY }, dueAt)
  const warmUp = Math.round(settings.rateHz * settings.warmUpSeconds)
  const perRound = Math.round((settings.rateHz * settings.seconds) / settings.rounds)
  const rounds = await inTurns(paths, settings.rounds, async (path) => {
    await pacedRun(path, warmUp, intervalMs, sender(path))
    return await pacedRun(path, perRound, intervalMs, sender(path))
  })
  return mapPaths(rounds, (pathRounds, key) => {
    const { times, ...rest } = mergeRounds(pathNamed(paths, key), pathRounds, (timing) => timing.totalMs)
    const roundP99Ms = pathRounds.map((round) => percentiles(okTimes(round.timings, (timing) => timing.totalMs)).p99)
    return { ...rest, latencyMs: times, roundP99Ms }
  })
}
