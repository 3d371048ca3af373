import { MS_PER_SECOND } from '../core/index.ts'

const ISO_PUNCTUATION = /[-:]|\.\d{3}/g

/** An instant as SigV4 writes it, `20150830T123600Z` (whole seconds, UTC). */
export function formatAmzDate (epochMs: number): string {
  return new Date(epochMs).toISOString().replace(ISO_PUNCTUATION, '')
}

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
