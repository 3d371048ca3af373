import type { FastifyReply, FastifyRequest } from 'fastify'
import { sha256Hex } from '../auth/sha256-hex.ts'
import { BedrockError, REQUEST_ID_HEADER, decisionError } from '../bedrock/errors.ts'
import { splitRegionPrefix } from '../bedrock/region-prefix.ts'
import { understandRequest } from '../bedrock/request.ts'
import { decide } from '../policy/engine.ts'
import type { Decision } from '../policy/types.ts'
import type { OperationName } from '../bedrock/operation-names.ts'
import type { NamedIdentifier } from '../bedrock/identifier-types.ts'
import { identifyCaller } from './identify-caller.ts'
import { requestedRegion } from './requested-region.ts'
import { sendBedrockError } from './send-bedrock-error.ts'
import { newRequestId } from './request-id.ts'
import type { GatewayState } from './gateway-state.ts'
import type { InFlightRequest, InFlightRequests } from './in-flight.ts'
import { LoadShedError } from './load-shed.ts'
import { OPERATIONS } from '../bedrock/operations.ts'
import type { Forwarder, UpstreamResponse } from '../upstream/forwarder.ts'
import { requestRouting } from '../routing/resolve-request-routing.ts'
import type { RoutingResolver } from '../routing/types.ts'
import { upstreamRequestHeaders } from '../upstream/header-policy.ts'
import { pipeResponse, type PipeResult } from '../upstream/pipe-response.ts'
import { foreignErrorAnswer, upstreamContentType } from '../upstream/foreign-error-answer.ts'
import { UNAUTHENTICATED_CLIENT } from './metrics.ts'

const EMPTY_BODY = Buffer.alloc(0)

/** Everything the gateway learnt about one request: the audit log and the metrics are written from this. */
export interface RequestOutcome {
  readonly requestId: string
  readonly clientName: string
  readonly operation?: OperationName
  readonly region?: string
  readonly identifiers: readonly NamedIdentifier[]
  readonly decision?: Decision
  /** The Bedrock error the caller got, when the gateway refused or failed the request itself. */
  readonly error?: BedrockError
  /** What Bedrock answered a forwarded request, and how its relay ended. */
  readonly upstream?: PipeResult
  /** The content type of an upstream error answer the gateway replaced because it was not Bedrock-shaped. */
  readonly upstreamContentType?: string
  readonly bytesIn: number
  readonly startedAt: bigint
}

/** The outcome as the handler fills it in, step by step; handed over read-only. */
type OutcomeInProgress = { -readonly [K in keyof RequestOutcome]: RequestOutcome[K] }

export interface GatewayDeps {
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
}

/** Authenticate, understand, decide, and only then re-sign and forward. Any refusal is answered before upstream is touched. */
export async function handleBedrockRequest (request: FastifyRequest, reply: FastifyReply, deps: GatewayDeps): Promise<void> {
  const startedAt = process.hrtime.bigint()
  const state = deps.state()
  const requestId = newRequestId()
  const body = Buffer.isBuffer(request.body) ? request.body : EMPTY_BODY
  const rawTarget = request.raw.url ?? '/'
  let tracked: InFlightRequest | undefined
  const outcome: OutcomeInProgress = { requestId, clientName: UNAUTHENTICATED_CLIENT, identifiers: [], bytesIn: body.length, startedAt }
  try {
    const bodySha256Hex = sha256Hex(body)
    const caller = identifyCaller(state, {
      method: request.method,
      rawPath: rawTarget,
      rawHeaders: request.raw.rawHeaders,
      authority: request.host,
      bodySha256Hex,
      now: deps.now()
    }, request.headers.authorization)
    outcome.clientName = caller.name
    const { region: prefixRegion, target } = splitRegionPrefix(rawTarget)
    const region = requestedRegion(caller.signedRegion, prefixRegion, caller.defaultRegion)
    outcome.region = region
    const understanding = understandRequest({ method: request.method, target, headers: request.headers, body })
    if (!understanding.ok) {
      outcome.decision = understanding.decision
      throw decisionError(understanding.decision)
    }
    const { operation, identifiers } = understanding
    const facts = { operation, region, identifiers }
    const routingOrLookup = requestRouting(deps.resolver(), facts, caller.allow, state.config.routing.verify)
    const routing = routingOrLookup instanceof Promise ? await routingOrLookup : routingOrLookup
    const decision = decide({ operation, region, identifiers, routing }, caller.allow, state.catalog)
    outcome.operation = operation
    outcome.identifiers = identifiers
    outcome.decision = decision
    if (!decision.allowed) throw decisionError(decision)
    if (deps.draining()) throw new LoadShedError('draining')
    const streams = OPERATIONS[operation].streamsResponse
    if (streams && deps.inFlight.streams >= state.config.limits.maxConcurrentStreams) {
      throw new LoadShedError('stream_limit')
    }
    const inFlight = deps.inFlight.start(streams)
    tracked = inFlight

    // writableEnded, not writableFinished: an HTTP/2 response reports itself finished once its stream closes, even
    // when the caller reset it halfway. Once Bedrock has answered, the relay watches the caller itself.
    const onCallerClose = (): void => { if (!reply.raw.writableEnded) inFlight.callerLeft() }
    reply.raw.once('close', onCallerClose)
    let upstream: UpstreamResponse
    try {
      upstream = await deps.forwarder().forward({
        region,
        method: request.method,
        path: understanding.upstreamPath,
        query: understanding.upstreamQuery,
        headers: upstreamRequestHeaders(request.headers, operation),
        body,
        bodySha256Hex
      }, inFlight.signal)
    } finally {
      reply.raw.off('close', onCallerClose)
    }
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
    outcome.upstream = await pipeResponse(upstream, reply.raw, { requestId, shutdown: inFlight.signal })
  } catch (error) {
    const bedrockError = error instanceof BedrockError ? error : new BedrockError('InternalServerException', 'The gateway failed to process the request.')
    outcome.error = bedrockError
    if (!reply.sent && !reply.raw.headersSent) sendBedrockError(reply, bedrockError, requestId)
  } finally {
    tracked?.done()
    deps.onOutcome(outcome)
  }
}
