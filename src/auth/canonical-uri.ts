import { PATH_SEPARATOR } from './constants.ts'
import { uriEncodePath } from './uri-encode.ts'

const EMPTY_SEGMENTS = /\/{2,}/g

/**
 * The canonical URI of a raw (still percent-encoded) path, as botocore and the AWS SDKs compute it for every
 * service but S3: each segment encoded once more (`%3A` -> `%253A`, raw `:` -> `%3A`) and empty segments dropped
 * (`//model` -> `/model`, which is what a LiteLLM endpoint with a trailing slash produces).
 * Dot segments are NOT resolved: the request layer refuses paths that contain them, so a signer that resolved them
 * and signed a different path than the one sent simply fails to verify.
 */
export function canonicalUri (rawPath: string): string {
  const rooted = rawPath.startsWith(PATH_SEPARATOR) ? rawPath : PATH_SEPARATOR + rawPath
  return uriEncodePath(rooted.replace(EMPTY_SEGMENTS, PATH_SEPARATOR))
}
