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
 * on every path alike rather than on whichever ran last. Each round starts one path further along, so that no path
 * always runs in the same place (right after the same other one, whose connections are still closing, with the load
 * generator in the same state). Answers each path's results in round order.
 */
export async function inTurns<K extends string, R> (paths: BenchPaths<K>, rounds: number, round: (path: BenchPath) => Promise<R>): Promise<Record<K, R[]>> {
  const keys = keysOf(paths)
  const results = {} as Record<K, R[]>
  for (const key of keys) results[key] = []
  for (let index = 0; index < rounds; index++) {
    for (let turn = 0; turn < keys.length; turn++) {
      const key = keys[(index + turn) % keys.length] as K
      results[key].push(await round(paths[key]))
    }
  }
  return results
}

/** Each path's value turned into another, keyed the same. */
export function mapPaths<K extends string, A, B> (values: Readonly<Record<K, A>>, map: (value: A, key: K) => B): Record<K, B> {
  const results = {} as Record<K, B>
  for (const key of Object.keys(values) as K[]) results[key] = map(values[key], key)
  return results
}
