import type { LoadTarget } from './load-target.ts'
import type { MeasuredProcess } from './measured-process.ts'

/** One way to reach the upstream: directly, or through a process in the middle whose CPU is measured. */
export interface BenchPath {
  readonly target: LoadTarget
  /** The gateway or the bare pass-through; absent for the direct path. */
  readonly proxy?: MeasuredProcess
}

export type BenchPaths<K extends string> = Readonly<Record<K, BenchPath>>

function keysOf<K extends string> (paths: BenchPaths<K>): K[] {
  return Object.keys(paths) as K[]
}

/** `run` for each path, one after the other, keyed like `paths`. */
export async function eachPath<K extends string, R> (paths: BenchPaths<K>, run: (path: BenchPath) => Promise<R>): Promise<Record<K, R>> {
  const results = {} as Record<K, R>
  for (const key of keysOf(paths)) results[key] = await run(paths[key])
  return results
}

/**
 * Runs `round` for each path in turn, `rounds` times over, so that a change in the machine's background load falls
 * on every path alike rather than on whichever ran last. Answers each path's results in round order.
 */
export async function inTurns<K extends string, R> (paths: BenchPaths<K>, rounds: number, round: (path: BenchPath) => Promise<R>): Promise<Record<K, R[]>> {
  const results = {} as Record<K, R[]>
  for (const key of keysOf(paths)) results[key] = []
  for (let index = 0; index < rounds; index++) {
    for (const key of keysOf(paths)) results[key].push(await round(paths[key]))
  }
  return results
}

/** Each path's value turned into another, keyed the same. */
export function mapPaths<K extends string, A, B> (values: Readonly<Record<K, A>>, map: (value: A, key: K) => B): Record<K, B> {
  const results = {} as Record<K, B>
  for (const key of Object.keys(values) as K[]) results[key] = map(values[key], key)
  return results
}
