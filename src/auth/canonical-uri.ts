import { PATH_SEPARATOR } from './constants.ts'
import { uriEncode } from './uri-encode.ts'

/** A path with nothing to encode and no empty segment is already its own canonical form. */
const ALREADY_CANONICAL = /^(?:\/[A-Za-z0-9\-._~]+)*\/?$/

/**
 * The canonical URI of a raw (still percent-encoded) path, as botocore and the AWS SDKs compute it for every
 * service but S3: each segment encoded once more (`%3A` -> `%253A`, raw `:` -> `%3A`) and empty segments dropped
 * (`//model` -> `/model`, which is what a LiteLLM endpoint with a trailing slash produces).
 * Dot segments are NOT resolved: the request layer refuses paths that contain them, so a signer that resolved them
 * and signed a different path than the one sent simply fails to verify.
 */
export function canonicalUri (rawPath: string): string {
  if (rawPath.length > 0 && ALREADY_CANONICAL.test(rawPath)) return rawPath
  const segments: string[] = []
  for (const segment of rawPath.split(PATH_SEPARATOR)) {
    if (segment.length > 0) segments.push(uriEncode(segment))
  }
  const trailing = segments.length > 0 && rawPath.endsWith(PATH_SEPARATOR) ? PATH_SEPARATOR : ''
  return PATH_SEPARATOR + segments.join(PATH_SEPARATOR) + trailing
}
