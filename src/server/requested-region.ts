import { BedrockError, malformedRequestError } from '../core/index.ts'

/**
 * The one region a request is for. A signed caller's credential scope is authoritative; a path prefix may repeat it
 * but never contradict it (AWS answers the same way when a scope names another region than the endpoint's host).
 */
export function requestedRegion (signedRegion: string | undefined, prefixRegion: string | undefined, defaultRegion: string | undefined): string {
  if (signedRegion !== undefined && prefixRegion !== undefined && signedRegion !== prefixRegion) {
    throw new BedrockError('InvalidSignatureException',
      `Credential should be scoped to a valid region. The path prefix names ${prefixRegion} but the credential scope names ${signedRegion}.`)
  }
  const region = signedRegion ?? prefixRegion ?? defaultRegion
  if (region === undefined) {
    throw malformedRequestError('the request names no region; use an endpoint with a region path prefix such as /eu-west-2')
  }
  return region
}
