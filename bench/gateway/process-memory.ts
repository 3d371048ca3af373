import { readFileSync, writeFileSync } from 'node:fs'

const KIB = 1024
const MIB = KIB * KIB
/** Writing 5 to clear_refs resets the peak RSS (VmHWM) to the current RSS (Linux 4.0+). */
const RESET_PEAK_RSS = '5'

function statusKib (pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((entry) => entry.startsWith(`${field}:`))
  return Number(line?.split(/\s+/)[1])
}

function statusField (pid: number, field: 'VmRSS' | 'VmHWM'): number {
  return Math.round((statusKib(pid, field) * KIB / MIB) * 10) / 10
}

/** Resident memory of another process in bytes, by the kernel's count. */
export const rssBytes = (pid: number): number => statusKib(pid, 'VmRSS') * KIB

/** Resident memory of another process in MB, read by the kernel's count, not by asking the process. */
export const rssMegabytes = (pid: number): number => statusField(pid, 'VmRSS')
export const peakRssMegabytes = (pid: number): number => statusField(pid, 'VmHWM')

/** Starts a new peak-RSS window; false when the kernel refused (the peak then covers the process's whole life). */
export function resetPeakRss (pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, RESET_PEAK_RSS)
    return true
  } catch {
    return false
  }
}
