const ISO_PUNCTUATION = /[-:]|\.\d{3}/g

/** An instant as SigV4 writes it, `20150830T123600Z` (whole seconds, UTC). */
export function formatAmzDate (epochMs: number): string {
  return new Date(epochMs).toISOString().replace(ISO_PUNCTUATION, '')
}
