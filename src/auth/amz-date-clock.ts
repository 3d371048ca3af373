import { MS_PER_SECOND } from './constants.ts'
import { formatAmzDate } from './format-amz-date.ts'

/**
 * The current x-amz-date, formatted at most once per second: every request signed within one second carries the
 * same value, and formatting (toISOString and a replace) would otherwise cost each of them two short-lived strings.
 */
export function createAmzDateClock (now: () => number): () => string {
  let second = Number.NaN
  let formatted = ''
  return () => {
    const epochMs = now()
    const current = Math.floor(epochMs / MS_PER_SECOND)
    if (current !== second) {
      second = current
      formatted = formatAmzDate(epochMs)
    }
    return formatted
  }
}
