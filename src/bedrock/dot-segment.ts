const CURRENT_SEGMENT = '.'
const PARENT_SEGMENT = '..'

/**
 * An empty, `.` or `..` path segment: one that a URL normaliser anywhere between the caller and Bedrock could
 * collapse, so that Bedrock would read another path than the one checked. Compared directly, without hashing the
 * segment for a Set lookup.
 */
export function isDotSegment (segment: string): boolean {
  return segment === '' || segment === CURRENT_SEGMENT || segment === PARENT_SEGMENT
}

/** Whether any of `segments` is a dot or empty segment. */
export function holdsDotSegment (segments: readonly string[]): boolean {
  for (const segment of segments) if (isDotSegment(segment)) return true
  return false
}
