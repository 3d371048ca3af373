import type { AllowList, RoutingVerifyMode } from '../config/index.ts'
import {
  identifiersToResolve,
  type RequestFacts,
  type RequestRouting,
  type RoutingResolution
} from '../policy/index.ts'
import type { RoutingResolver } from './types.ts'

const NOTHING_RESOLVED: Readonly<Record<RoutingVerifyMode, RequestRouting>> = {
  catalog: { verify: 'catalog', resolutions: new Map() },
  live: { verify: 'live', resolutions: new Map() }
}

/**
 * Asks the resolver about every identifier of the request that the engine will need AWS's answer for (under the
 * caller's allowlist), all at once, and gives what to put in `RequestFacts.routing`. A request that needs no
 * resolution (most requests), or is refused anyway for its operation or region, gets its routing at once rather than
 * as a promise: awaiting one costs a turn of the microtask queue and ~250 bytes when there is nothing to wait for.
 * The promise never rejects.
 */
export function requestRouting (resolver: RoutingResolver, facts: Omit<RequestFacts, 'routing'>,
  allowList: AllowList, verify: RoutingVerifyMode): RequestRouting | Promise<RequestRouting> {
  const texts = identifiersToResolve(facts, allowList, verify)
  if (texts.length === 0) return NOTHING_RESOLVED[verify]
  return Promise.all(texts.map(async (text): Promise<[string, RoutingResolution]> => [text, await resolver.resolve(facts.region, text)]))
    .then((resolutions) => ({ verify, resolutions: new Map(resolutions) }))
}
