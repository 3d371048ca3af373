import { readFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { performance } from 'node:perf_hooks'

/** The kernel's USER_HZ: /proc/stat and /proc/PID/stat count in hundredths of a second on every Linux this runs on. */
export const TICKS_PER_SECOND = 100
const BUSY_FIELDS = [0, 1, 2, 5, 6, 7] // user nice system irq softirq steal

export interface MachineInfo {
  readonly cpus: number
  readonly cpuModel: string
  readonly totalMemoryMB: number
  readonly node: string
  readonly platform: string
  readonly loadAverage1mAtStart: number
}

export function machineInfo (): MachineInfo {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    totalMemoryMB: Math.round(totalmem() / 1e6),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage1mAtStart: Math.round((loadavg()[0] ?? NaN) * 100) / 100
  }
}

function busyCpuSeconds (): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]?.trim().split(/\s+/).slice(1).map(Number) ?? []
  return BUSY_FIELDS.reduce((sum, index) => sum + (fields[index] ?? NaN), 0) / TICKS_PER_SECOND
}

/**
 * How much of the machine other work took while the bench ran: all CPUs' busy time from /proc/stat, minus the CPU
 * time of the bench's own processes, per second of wall time. Anything well above 0 means the figures were measured
 * on a shared, busy machine (the CPU-per-request figures suffer least; latencies most).
 */
export function backgroundLoadMeter (): { stop: (ownCpuSeconds: number) => number } {
  const busyAtStart = busyCpuSeconds()
  const startedAt = performance.now()
  return {
    stop (ownCpuSeconds) {
      const wallSeconds = (performance.now() - startedAt) / 1000
      // /proc/stat counts in 10 ms ticks, so with nothing else running the difference can come out just below 0.
      return Math.max(0, Math.round(((busyCpuSeconds() - busyAtStart - ownCpuSeconds) / wallSeconds) * 100) / 100)
    }
  }
}
