import type { MeasuredProcess } from './measured-process.ts'

/** CPU microseconds each process spent while `work` ran, read from the processes themselves. */
export async function cpuDuring<T> (processes: readonly MeasuredProcess[], work: () => Promise<T>): Promise<{ result: T, cpuMicros: number[] }> {
  const before = await Promise.all(processes.map((process) => process.stats()))
  const result = await work()
  const after = await Promise.all(processes.map((process) => process.stats()))
  return { result, cpuMicros: after.map((stats, index) => stats.cpuMicros - (before[index]?.cpuMicros ?? NaN)) }
}

export function perRequest (cpuMicros: number | undefined, requests: number): number {
  return requests > 0 && cpuMicros !== undefined ? Math.round((cpuMicros / requests) * 10) / 10 : NaN
}
