import type { AllowList } from '../config/types.ts'
import { identifiersToResolve } from '../policy/identifiers-to-resolve.ts'
import type { RequestFacts, RequestRouting } from '../policy/types.ts'
import type { RoutingResolution, RoutingResolver, RoutingVerifyMode } from './types.ts'

const NOTHING_RESOLVED: Readonly<Record<RoutingVerifyMode, RequestRouting>> = {
  catalog: { verify: 'catalog', resolutions: new Map() },
  live: { verify: 'live', resolutions: new Map() }
}

/**
 * The routing to decide on, at once, for a request that needs nothing resolved (most requests); undefined when the
 * resolver must be asked, with {@link resolveRequestRouting}. Lets a caller skip awaiting a promise, which costs a
 * turn of the event loop's microtask queue and ~250 bytes, when there is nothing to wait for.
 */
export function routingWithoutLookups (facts: Omit<RequestFacts, 'routing'>, allowList: AllowList,
  verify: RoutingVerifyMode): RequestRouting | undefined {
  return identifiersToResolve(facts, allowList, verify).length === 0 ? NOTHING_RESOLVED[verify] : undefined
}

/**
 * Asks the resolver about every identifier of the request that the engine will need AWS's answer for (under the
 * caller's allowlist), all at once, and returns what to put in `RequestFacts.routing`. Asks nothing when the request
 * needs no resolution or is refused anyway for its operation or region. Never rejects.
 */
export async function resolveRequestRouting (resolver: RoutingResolver, facts: Omit<RequestFacts, 'routing'>,
  allowList: AllowList, verify: RoutingVerifyMode): Promise<RequestRouting> {
  const texts = identifiersToResolve(facts, allowList, verify)
  if (texts.length === 0) return NOTHING_RESOLVED[verify]
  const resolutions = await Promise.all(texts.map(async (text): Promise<[string, RoutingResolution]> =>
    [text, await resolver.resolve(facts.region, text)]))
  return { verify, resolutions: new Map(resolutions) }
}
