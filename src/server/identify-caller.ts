import {
  type Authenticated,
  type AuthenticateInput,
  completeAuthentication,
  parseAuthorization,
  screenAuthentication,
  type ReceivedRequest,
  type ScreenedAuthentication
} from '../auth/index.ts'
import { type EventChainOrigin, SIGV4_ALGORITHM_FAMILY } from '../sigv4/index.ts'
import type { AllowList } from '../config/index.ts'
import type { GatewayState } from './gateway-state.ts'
import { BedrockError, malformedRequestError } from '../core/index.ts'

/** Who a request is from, and what that caller may do. */
export interface Caller {
  readonly name: string
  readonly allow: AllowList
  /** The region the caller signed for; only SigV4 callers have one. */
  readonly signedRegion?: string
  readonly defaultRegion?: string
  /** Until when this caller's allowlist refusals are only reported (monitor mode), in epoch ms; absent: enforced. */
  readonly monitorEndMs?: number
  /** A verified SigV4 caller's: where the signatures of the events it sends on a bidirectional stream chain from. */
  readonly eventChain?: EventChainOrigin
}

/** The name a caller goes by when the config lists no clients: a loopback-only gateway used without keys. */
export const ANONYMOUS_CALLER = 'anonymous'

/** A caller as far as the request's headers tell; `confirmCaller` finishes with the body's hash. */
export interface ScreenedCaller {
  readonly caller: Caller
  /** Absent for the anonymous caller of a gateway without clients, whom nothing authenticates. */
  readonly authentication?: ScreenedAuthentication
}

/**
 * A config with clients authenticates every caller. A config without any (allowed only on loopback) serves
 * whoever can reach the port under the global allowlist; a SigV4 caller's scope still names its region.
 */
export function identifyCaller (state: GatewayState, input: AuthenticateInput, authorization: string | undefined): Caller {
  return confirmCaller(state, screenCaller(state, input, authorization), input)
}

/** The caller as far as the headers alone can tell, with the errors identifyCaller would give; before the body is read. */
export function screenCaller (state: GatewayState, input: Omit<AuthenticateInput, 'bodySha256Hex'>, authorization: string | undefined): ScreenedCaller {
  if (state.config.clients.length === 0) {
    const signedRegion = authorization?.startsWith(SIGV4_ALGORITHM_FAMILY) === true ? parseAuthorization(authorization).scope.region : undefined
    return { caller: { name: ANONYMOUS_CALLER, allow: state.config.allow, signedRegion, monitorEndMs: state.monitorEnds.get(ANONYMOUS_CALLER) } }
  }
  const authentication = screenAuthentication(input, state.clientKeys, state.config.limits)
  return { caller: callerOf(state, authentication), authentication }
}

/**
 * Finishes a screening on the request it screened, now that the body's hash is known: a SigV4 caller's payload hash
 * and signature are verified. `state` must be the one it was screened under.
 */
export function confirmCaller (state: GatewayState, screened: ScreenedCaller, request: Omit<ReceivedRequest, 'headers'>): Caller {
  const { authentication } = screened
  // A bearer caller (and the anonymous one) was settled by its headers.
  if (authentication?.unverifiedSignature === undefined) return screened.caller
  return callerOf(state, completeAuthentication(authentication, request, state.clientKeys))
}

function callerOf (state: GatewayState, { client, region, eventChain }: Authenticated): Caller {
  return { name: client.name, allow: client.allow, signedRegion: region, defaultRegion: client.defaultRegion, monitorEndMs: state.monitorEnds.get(client.name), eventChain }
}

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
