import type { FastifyInstance, FastifyRequest } from 'fastify'
import { BedrockError, decisionError, internalError } from '../core/index.ts'
import { type RequestRoute, splitRegionPrefix } from '../bedrock/index.ts'
import { decide, identifiersToResolve } from '../policy/index.ts'
import { requestRouting } from '../routing/index.ts'
import { newRequestId } from './error-replies.ts'
import type { GatewayDeps, InternalFailure } from './handle-bedrock-request.ts'
import { requestedRegion, screenCaller, type ScreenedCaller } from './identify-caller.ts'
import type { GatewayState } from './gateway-state.ts'
import { type RequestStage, UNAUTHENTICATED_CLIENT } from './metrics.ts'
import { refuseOutsideHandler, type RefusalFacts } from './refuse-outside-handler.ts'
import { reportsOnly } from './monitor-mode.ts'

const NO_BODY = Buffer.alloc(0)

interface Refusal {
  readonly error: BedrockError
  readonly facts: RefusalFacts
  /** Where the screening stopped: the request's trace has a span for that stage, as the handler's would. */
  readonly stage: RequestStage
  /** An error nothing anticipated, thrown in `stage`: reported, like the handler's, before it is answered. */
  readonly failure?: Pick<InternalFailure, 'error'>
}

/** What screening a request learnt from its headers, kept for the handler to finish instead of working it out again. */
export interface ScreenedRequest {
  /** The config it was screened under: a request whose handler runs under another (a reload) is screened again. */
  readonly state: GatewayState
  readonly prefixRegion: string | undefined
  /** The target without its region prefix. */
  readonly target: string
  readonly route: RequestRoute
  readonly caller: ScreenedCaller
}

/** Each screened request's screening, keyed by node's request, which outlives the hooks. */
const screenedRequests = new WeakMap<object, ScreenedRequest>()

/** The name of the caller a request was screened for (anonymous when the config lists no clients). */
export function screenedCallerOf (request: FastifyRequest): string {
  return screenedRequests.get(request.raw)?.caller.caller.name ?? UNAUTHENTICATED_CLIENT
}

/** The screening of a request that passed it under this config, if it did. */
export function screeningOf (request: FastifyRequest, state: GatewayState): ScreenedRequest | undefined {
  const screened = screenedRequests.get(request.raw)
  return screened?.state === state ? screened : undefined
}

/**
 * Everything the headers decide is decided before a body is read, with the errors the handler would give: an unknown
 * key id or bearer key, a malformed or skewed Authorization, a region the caller may not use, an unknown operation,
 * and, for operations that name nothing in their body, the engine's whole verdict (when it needs no lookup). A caller
 * who could never be served then costs the gateway no memory: node drains the body it never reads. The handler
 * checks everything again on the whole request; this only refuses earlier, never allows.
 */
export function screenBeforeBody (
  app: FastifyInstance,
  deps: Pick<GatewayDeps, 'service' | 'state' | 'resolver' | 'now' | 'onOutcome' | 'onInternalError' | 'tracer'>
): void {
  app.addHook('onRequest', (request, reply, done) => {
    const refusal = screen(request, deps)
    if (refusal === undefined) {
      done()
      return
    }
    const requestId = newRequestId()
    if (refusal.failure !== undefined) deps.onInternalError({ requestId, stage: refusal.stage, ...refusal.failure })
    refuseOutsideHandler(reply, deps, refusal.error, refusal.facts, requestId, refusal.stage)
  })
}

function screen (request: FastifyRequest, deps: Pick<GatewayDeps, 'service' | 'state' | 'resolver' | 'now'>): Refusal | undefined {
  const state = deps.state()
  const rawTarget = request.raw.url ?? '/'
  let clientName = UNAUTHENTICATED_CLIENT
  let stage: RequestStage = 'authenticate'
  try {
    const { region: prefixRegion, target } = splitRegionPrefix(rawTarget)
    const route = deps.service.route(request.method, target)
    const screenedCaller = screenCaller(state, {
      method: request.method,
      rawPath: rawTarget,
      rawHeaders: request.raw.rawHeaders,
      authority: request.host,
      now: deps.now(),
      signingNames: deps.service.signingNamesFor(route)
    }, request.headers.authorization)
    const { caller } = screenedCaller
    clientName = caller.name
    screenedRequests.set(request.raw, { state, prefixRegion, target, route, caller: screenedCaller })
    stage = 'understand'
    const region = requestedRegion(caller.signedRegion, prefixRegion, caller.defaultRegion)
    if (!route.ok) {
      // Only an unknown operation is refused here; the handler refuses the rest, as it always has.
      const { decision } = route
      return decision.reason === 'UNKNOWN_OPERATION' ? { error: decisionError(decision), facts: { clientName, region, decision }, stage } : undefined
    }
    if (deps.service.namesIdentifiersInBody(route.operation)) return undefined
    const understanding = deps.service.understandRouted(route, request.headers, () => NO_BODY)
    if (!understanding.ok) return undefined
    const { operation, identifiers } = understanding
    const facts = { operation, region, identifiers }
    const { verify } = state.config.routing
    stage = 'routing'
    // A verdict that needs a lookup is left to the handler, which waits for it; without one, routing is known at once.
    if (identifiersToResolve(facts, caller.allow, verify).length > 0) return undefined
    const routing = requestRouting(deps.resolver(), facts, caller.allow, verify)
    if (routing instanceof Promise) return undefined
    stage = 'decide'
    const decision = decide({ ...facts, routing }, caller.allow, state.catalog)
    // A refusal monitor mode forwards is left to the handler, which forwards it and records it as would_deny.
    if (decision.allowed || reportsOnly(decision, caller.monitorEndMs, deps.now().getTime())) return undefined
    return { error: decisionError(decision), facts: { clientName, operation, region, identifiers, decision }, stage }
  } catch (error) {
    if (error instanceof BedrockError) return { error, facts: { clientName }, stage }
    return { error: internalError(error), facts: { clientName }, stage, failure: { error } }
  }
}
