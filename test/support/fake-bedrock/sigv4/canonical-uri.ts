import { uriEncode } from './uri-encode.ts'

/**
 * The canonical URI for every service but S3: the path exactly as received, normalized (RFC 3986: empty, `.` and
 * `..` segments removed), then each segment URI-encoded once more, so `%3A` on the wire becomes `%253A` here.
 */
export function canonicalUri (rawPath: string): string {
  const segments: string[] = []
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue
    if (segment === '..') {
      segments.pop()
      continue
    }
    segments.push(segment)
  }
  const trailingSlash = segments.length > 0 && rawPath.endsWith('/') ? '/' : ''
  return `/${segments.map(uriEncode).join('/')}${trailingSlash}`
}
