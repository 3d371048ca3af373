import type { FastifyReply, FastifyRequest } from 'fastify'
import { BedrockError, type Decision, decisionError, internalError, REQUEST_ID_HEADER } from '../core/index.ts'
import { type BedrockService, type NamedIdentifier, type OperationName, splitRegionPrefix } from '../bedrock/index.ts'
import { decide } from '../policy/index.ts'
import { watchForDeparture } from './caller-departure.ts'
import { type Caller, confirmCaller, identifyCaller, requestedRegion } from './identify-caller.ts'
import { type ScreenedRequest, screeningOf } from './screen-before-body.ts'
import { NO_BODY, ReceivedBody } from './received-body.ts'
import { failHijackedReply, newRequestId, sendBedrockError } from './error-replies.ts'
import type { GatewayState } from './gateway-state.ts'
import { CallerLeftError, type InFlightRequest, type InFlightRequests } from './in-flight.ts'
import { LoadShedError } from './load-shed.ts'
import { reportsOnly } from './monitor-mode.ts'
import { type GatewayTracer, NO_TRACING } from './tracing.ts'
import {
  foreignErrorAnswer,
  type Forwarder,
  pipeResponse,
  type PipeResult,
  upstreamContentType,
  upstreamRequestHeaders,
  type UpstreamResponse
} from '../upstream/index.ts'
import { requestRouting, type RoutingResolver } from '../routing/index.ts'
import { UNAUTHENTICATED_CLIENT, type RequestStage } from './metrics.ts'

/** Everything the gateway learnt about one request: the audit log and the metrics are written from this. */
export interface RequestOutcome {
  readonly requestId: string
  readonly clientName: string
  readonly operation?: OperationName
  readonly region?: string
  readonly identifiers: readonly NamedIdentifier[]
  readonly decision?: Decision
  /** The decision refused the request, and monitor mode forwarded it anyway: recorded as `would_deny`. */
  readonly reportedOnly?: boolean
  /** The Bedrock error the caller got, when the gateway refused or failed the request itself. */
  readonly error?: BedrockError
  /** What Bedrock answered a forwarded request, and how its relay ended. */
  readonly upstream?: PipeResult
  /** The content type of an upstream error answer the gateway replaced because it was not Bedrock-shaped. */
  readonly upstreamContentType?: string
  readonly bytesIn: number
  readonly startedAt: bigint
}

/** An error nothing anticipated, thrown while handling a request: a bug, or a dependency failing in a new way. */
export interface InternalFailure {
  readonly requestId: string
  readonly stage: RequestStage
  readonly error: unknown
}

/** The outcome as the handler fills it in, step by step; handed over read-only. */
export type OutcomeInProgress = { -readonly [K in keyof RequestOutcome]: RequestOutcome[K] }

export interface GatewayDeps {
  /** The Bedrock API served: how requests are understood, and what their operations do. */
  readonly service: BedrockService
  /** The config in force; read once per request, so a reload never changes a request halfway. */
  readonly state: () => GatewayState
  readonly forwarder: () => Forwarder
  /** Where routed identifiers can run, asked before deciding and only when the decision needs it. */
  readonly resolver: () => RoutingResolver
  readonly now: () => Date
  readonly inFlight: InFlightRequests
  /** True once a shutdown has begun: requests arriving on connections still open are turned away. */
  readonly draining: () => boolean
  readonly onOutcome: (outcome: RequestOutcome) => void
  /** Called once for each InternalFailure, before the caller gets its InternalServerException. */
  readonly onInternalError: (failure: InternalFailure) => void
  /** Spans for each request and its stages; none unless the OTEL_* variables ask for them. */
  readonly tracer?: GatewayTracer
}

/**
 * Records the engine's decision on the outcome, and throws its refusal unless the caller's monitor mode only
 * reports it.
 */
export function settleDecision (outcome: OutcomeInProgress, facts: Pick<RequestOutcome, 'operation' | 'identifiers'>, decision: Decision,
  monitorEndMs: number | undefined, now: Date): void {
  outcome.operation = facts.operation
  outcome.identifiers = facts.identifiers
  outcome.decision = decision
  if (decision.allowed) return
  if (!reportsOnly(decision, monitorEndMs, now.getTime())) throw decisionError(decision)
  outcome.reportedOnly = true
}

/**
 * The request's route and its caller, authenticated in full: finished from the screening its headers had before the
 * body was read (screen-before-body.ts), or worked out here when it has none under this config (a reload came between).
 */
function screened (request: FastifyRequest, state: GatewayState, deps: GatewayDeps, rawTarget: string, bodySha256Hex: string):
  Omit<ScreenedRequest, 'state' | 'caller'> & { readonly caller: Caller } {
  const received = { method: request.method, rawPath: rawTarget, authority: request.host, bodySha256Hex }
  const screening = screeningOf(request, state)
  if (screening !== undefined) return { ...screening, caller: confirmCaller(state, screening.caller, received) }
  const { region: prefixRegion, target } = splitRegionPrefix(rawTarget)
  const route = deps.service.route(request.method, target)
  const caller = identifyCaller(state, {
    ...received,
    rawHeaders: request.raw.rawHeaders,
    now: deps.now(),
    signingNames: deps.service.signingNamesFor(route)
  }, request.headers.authorization)
  return { prefixRegion, target, route, caller }
}

/** Authenticate, understand, decide, and only then re-sign and forward. Any refusal is answered before upstream is touched. */
export async function handleBedrockRequest (request: FastifyRequest, reply: FastifyReply, deps: GatewayDeps): Promise<void> {
  const startedAt = process.hrtime.bigint()
  const state = deps.state()
  const requestId = newRequestId()
  const body = request.body instanceof ReceivedBody ? request.body : NO_BODY
  const bodySha256Hex = body.sha256Hex
  const rawTarget = request.raw.url ?? '/'
  let tracked: InFlightRequest | undefined
  const outcome: OutcomeInProgress = { requestId, clientName: UNAUTHENTICATED_CLIENT, identifiers: [], bytesIn: body.length, startedAt }
  const trace = (deps.tracer ?? NO_TRACING).startRequest(request.headers)
  let relayTookOver = false
  let stage: RequestStage = 'authenticate'
  trace.enter(stage)
  const enter = (next: RequestStage): void => {
    stage = next
    trace.enter(next)
  }
  try {
    const { prefixRegion, route, caller } = screened(request, state, deps, rawTarget, bodySha256Hex)
    outcome.clientName = caller.name
    enter('understand')
    const region = requestedRegion(caller.signedRegion, prefixRegion, caller.defaultRegion)
    outcome.region = region
    const understanding = deps.service.understandRouted(route, request.headers, () => body.bytes)
    if (!understanding.ok) {
      outcome.decision = understanding.decision
      throw decisionError(understanding.decision)
    }
    const { operation, identifiers } = understanding
    const facts = { operation, region, identifiers }
    enter('routing')
    const routingOrLookup = requestRouting(deps.resolver(), facts, caller.allow, state.config.routing.verify)
    const routing = routingOrLookup instanceof Promise ? await routingOrLookup : routingOrLookup
    enter('decide')
    settleDecision(outcome, facts, decide({ operation, region, identifiers, routing }, caller.allow, state.catalog), caller.monitorEndMs, deps.now())
    enter('forward')
    if (deps.draining()) throw new LoadShedError('draining')
    const { streams } = understanding
    if (streams && deps.inFlight.streams >= state.config.limits.maxConcurrentStreams) {
      throw new LoadShedError('stream_limit')
    }
    const inFlight = deps.inFlight.start(streams)
    tracked = inFlight

    const stopWatching = watchForDeparture(request.raw, reply.raw, () => inFlight.callerLeft())
    let upstream: UpstreamResponse
    try {
      upstream = await deps.forwarder().forward({
        api: understanding.api,
        region,
        method: request.method,
        path: understanding.upstreamPath,
        query: understanding.upstreamQuery,
        headers: upstreamRequestHeaders(request.headers, operation),
        body: body.forwarded,
        bodySha256Hex
      }, inFlight.signal)
    } finally {
      stopWatching()
    }
    enter('relay')
    const foreign = foreignErrorAnswer(upstream, region)
    if (foreign !== undefined) {
      // Nothing of the page is relayed, and the connection it came on is not reused (undici reports that as an error).
      upstream.body.on('error', () => {})
      upstream.body.destroy()
      const bedrockRequestId = upstream.headers[REQUEST_ID_HEADER]
      outcome.upstream = {
        status: upstream.status,
        bedrockRequestId: typeof bedrockRequestId === 'string' ? bedrockRequestId : undefined,
        end: 'complete',
        upstreamBytes: 0,
        clientBytes: 0,
        exceptionEventSent: false
      }
      outcome.upstreamContentType = upstreamContentType(upstream)
      throw foreign
    }
    void reply.hijack()
    relayTookOver = true
    outcome.upstream = await pipeResponse(upstream, reply.raw, { requestId, shutdown: inFlight.signal, sse: understanding.sse })
  } catch (error) {
    // Nobody is left to answer, and a caller leaving is no failure of the gateway's: its audit line has no status.
    if (error instanceof CallerLeftError) return
    if (!(error instanceof BedrockError)) deps.onInternalError({ requestId, stage, error })
    const bedrockError = error instanceof BedrockError ? error : internalError(error)
    outcome.error = bedrockError
    if (!reply.sent && !reply.raw.headersSent) sendBedrockError(reply, bedrockError, requestId)
    else if (relayTookOver) failHijackedReply(reply.raw, bedrockError, requestId)
  } finally {
    tracked?.done()
    trace.end(outcome)
    deps.onOutcome(outcome)
  }
}
