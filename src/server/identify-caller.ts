import { authenticate, screenAuthentication } from '../auth/authenticate.ts'
import { SIGV4_ALGORITHM_FAMILY } from '../auth/constants.ts'
import { parseAuthorization } from '../auth/parse-authorization.ts'
import type { AuthenticateInput, Authenticated } from '../auth/types.ts'
import type { AllowList } from '../config/types.ts'
import type { GatewayState } from './gateway-state.ts'

/** Who a request is from, and what that caller may do. */
export interface Caller {
  readonly name: string
  readonly allow: AllowList
  /** The region the caller signed for; only SigV4 callers have one. */
  readonly signedRegion?: string
  readonly defaultRegion?: string
}

/** The name a caller goes by when the config lists no clients: a loopback-only gateway used without keys. */
export const ANONYMOUS_CALLER = 'anonymous'

/**
 * A config with clients authenticates every caller. A config without any (allowed only on loopback) serves
 * whoever can reach the port under the global allowlist; a SigV4 caller's scope still names its region.
 */
export function identifyCaller (state: GatewayState, input: AuthenticateInput, authorization: string | undefined): Caller {
  return callerBy(state, authorization, () => authenticate(input, state.clientKeys, state.config.limits))
}

/** The caller as far as the headers alone can tell, with the errors identifyCaller would give; before the body is read. */
export function screenCaller (state: GatewayState, input: Omit<AuthenticateInput, 'bodySha256Hex'>, authorization: string | undefined): Caller {
  return callerBy(state, authorization, () => screenAuthentication(input, state.clientKeys, state.config.limits))
}

function callerBy (state: GatewayState, authorization: string | undefined, authenticateCaller: () => Authenticated): Caller {
  if (state.config.clients.length === 0) {
    const signedRegion = authorization?.startsWith(SIGV4_ALGORITHM_FAMILY) === true ? parseAuthorization(authorization).scope.region : undefined
    return { name: ANONYMOUS_CALLER, allow: state.config.allow, signedRegion }
  }
  const { client, region } = authenticateCaller()
  return { name: client.name, allow: client.allow, signedRegion: region, defaultRegion: client.defaultRegion }
}
