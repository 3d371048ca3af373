import type { LoadTarget } from './load-target.ts'
import type { MeasuredProcess } from './measured-process.ts'

/** One way to reach the upstream: directly, or through a process in the middle whose CPU is measured. */
export interface BenchPath {
  readonly target: LoadTarget
  /** The gateway or the bare pass-through; absent for the direct path. */
  readonly proxy?: MeasuredProcess
}

/** Paths by name; a path that could not be set up this run (a peer whose binary is absent) is left out. */
export type BenchPaths = Readonly<Partial<Record<string, BenchPath>>>
/** One result per path of `P`, optional exactly where the path is. */
export type PerPath<P, R> = { -readonly [K in keyof P]: R }

function presentPaths<P extends BenchPaths> (paths: P): Array<[keyof P & string, BenchPath]> {
  return Object.entries(paths).flatMap(([key, path]) => (path === undefined ? [] : [[key as keyof P & string, path]]))
}

/** The path named `key`, which a result keyed by it proves was there. */
export function pathNamed (paths: BenchPaths, key: string): BenchPath {
  const path = paths[key]
  if (path === undefined) throw new Error(`bench: no path named ${key}`)
  return path
}

/** `run` for each path, one after the other, keyed like `paths`. */
export async function eachPath<P extends BenchPaths, R> (paths: P, run: (path: BenchPath) => Promise<R>): Promise<PerPath<P, R>> {
  const results: Partial<Record<string, R>> = {}
  for (const [key, path] of presentPaths(paths)) results[key] = await run(path)
  return results as PerPath<P, R>
}

/**
 * Runs `round` for each path in turn, `rounds` times over, so that a change in the machine's background load falls
 * on every path alike rather than on whichever ran last. Each round starts one path further along, so that no path
 * always runs in the same place (right after the same other one, whose connections are still closing, with the load
 * generator in the same state). Answers each path's results in round order.
 */
export async function inTurns<P extends BenchPaths, R> (paths: P, rounds: number, round: (path: BenchPath) => Promise<R>): Promise<PerPath<P, R[]>> {
  const entries = presentPaths(paths)
  const results: Partial<Record<string, R[]>> = Object.fromEntries(entries.map(([key]) => [key, []]))
  for (let index = 0; index < rounds; index++) {
    for (let turn = 0; turn < entries.length; turn++) {
      const [key, path] = entries[(index + turn) % entries.length] as [string, BenchPath]
      results[key]?.push(await round(path))
    }
  }
  return results as PerPath<P, R[]>
}

/** Each path's value turned into another, keyed the same (and as optional). */
export function mapPaths<V extends Readonly<Partial<Record<string, unknown>>>, B> (values: V,
  map: (value: NonNullable<V[keyof V]>, key: keyof V & string) => B): PerPath<V, B> {
  const results: Partial<Record<string, B>> = {}
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) results[key] = map(value as NonNullable<V[keyof V]>, key as keyof V & string)
  }
  return results as PerPath<V, B>
}
