import type { IncomingMessage, ServerResponse } from 'node:http'
import { constants as http2, Http2ServerRequest, type Http2ServerResponse } from 'node:http2'
import { BedrockError, decisionError, internalError, QUERY_START } from '../core/index.ts'
import { decodeEventEnvelope, splitRegionPrefix } from '../bedrock/index.ts'
import { EventChainVerifier } from '../auth/index.ts'
import { STREAMING_EVENTS_PAYLOAD } from '../sigv4/index.ts'
import { decide } from '../policy/index.ts'
import { requestRouting } from '../routing/index.ts'
import { relayEventStream, upstreamRequestHeaders } from '../upstream/index.ts'
import { watchForDeparture } from './caller-departure.ts'
import { failHijackedReply, newRequestId } from './error-replies.ts'
import { type GatewayDeps, type OutcomeInProgress, settleDecision } from './handle-bedrock-request.ts'
import { type Caller, identifyCaller, requestedRegion } from './identify-caller.ts'
import { CallerLeftError, type InFlightRequest } from './in-flight.ts'
import { LoadShedError } from './load-shed.ts'
import { type RequestStage, UNAUTHENTICATED_CLIENT } from './metrics.ts'
import { NO_TRACING } from './tracing.ts'
import type { GatewayState } from './gateway-state.ts'

const BIDIRECTIONAL_PATH_END = '/invoke-with-bidirectional-stream'
const BIDIRECTIONAL_METHOD = 'POST'
const NO_BODY = Buffer.alloc(0)
const HTTP2_ONLY = 'InvokeModelWithBidirectionalStream is served over HTTP/2 only, as Amazon Bedrock serves it.'

/**
 * Whether a request may be InvokeModelWithBidirectionalStream, by method and path alone: its body is a stream that
 * never ends while the session lasts, so it must not reach the handler that reads whole bodies. The stream handler
 * understands the request in full and refuses whatever this let through that is not the operation.
 */
export function isBidirectionalStreamTarget (method: string | undefined, rawUrl: string | undefined): boolean {
  if (method !== BIDIRECTIONAL_METHOD || rawUrl === undefined) return false
  const queryAt = rawUrl.indexOf(QUERY_START)
  return (queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt)).endsWith(BIDIRECTIONAL_PATH_END)
}

/**
 * How a caller's envelopes are opened: a SigV4 caller's on the chain of its own signatures; a bearer caller (or any
 * caller of a gateway without clients) signs nothing the gateway can check, and was authenticated by its key.
 */
function envelopeOpener (caller: Caller, state: GatewayState, now: () => Date): (frame: Buffer) => Uint8Array {
  if (caller.eventChain === undefined) return (frame) => decodeEventEnvelope(frame).payload
  const verifier = new EventChainVerifier(caller.eventChain, {
    signingKeys: state.clientKeys.signingKeys,
    clockSkewSeconds: state.config.limits.clockSkewSeconds,
    now
  })
  return (frame) => verifier.open(frame)
}

/**
 * A caller that was answered while still sending (its stream was ended for a fault) has this long to stop before its
 * stream is reset; what it sends meanwhile is read and dropped.
 */
function closeCallerSide (request: IncomingMessage | Http2ServerRequest, graceMs: number): void {
  if (!(request instanceof Http2ServerRequest) || request.readableEnded || request.stream.destroyed) return
  request.resume()
  const reset = setTimeout(() => request.stream.close(http2.NGHTTP2_CANCEL), graceMs)
  request.stream.once('close', () => clearTimeout(reset))
}

/**
 * InvokeModelWithBidirectionalStream: authenticated on its headers (the payload hash is the streaming marker),
 * understood and decided by the same engine as every other operation, then relayed event by event: the caller's
 * envelopes are checked on its own signature chain and re-signed on the gateway's.
 */
export async function handleBidirectionalStream (request: IncomingMessage | Http2ServerRequest, response: ServerResponse | Http2ServerResponse,
  deps: GatewayDeps): Promise<void> {
  const startedAt = process.hrtime.bigint()
  const state = deps.state()
  const { limits } = state.config
  const requestId = newRequestId()
  const rawTarget = request.url ?? '/'
  const method = request.method ?? BIDIRECTIONAL_METHOD
  const outcome: OutcomeInProgress = { requestId, clientName: UNAUTHENTICATED_CLIENT, identifiers: [], bytesIn: 0, startedAt }
  const trace = (deps.tracer ?? NO_TRACING).startRequest(request.headers)
  let stage: RequestStage = 'authenticate'
  const enter = (next: RequestStage): void => {
    stage = next
    trace.enter(next)
  }
  trace.enter(stage)
  let tracked: InFlightRequest | undefined
  let stopWatching = (): void => {}
  try {
    const { region: prefixRegion, target } = splitRegionPrefix(rawTarget)
    const route = deps.service.route(method, target)
    const caller = identifyCaller(state, {
      method,
      rawPath: rawTarget,
      rawHeaders: request.rawHeaders,
      authority: request instanceof Http2ServerRequest ? request.authority : request.headers.host ?? '',
      bodySha256Hex: STREAMING_EVENTS_PAYLOAD,
      now: deps.now(),
      signingNames: deps.service.signingNamesFor(route)
    }, request.headers.authorization)
    outcome.clientName = caller.name
    enter('understand')
    const region = requestedRegion(caller.signedRegion, prefixRegion, caller.defaultRegion)
    outcome.region = region
    const understanding = deps.service.understandRouted(route, request.headers, () => NO_BODY)
    if (!understanding.ok) {
      outcome.decision = understanding.decision
      throw decisionError(understanding.decision)
    }
    const { operation, identifiers } = understanding
    enter('routing')
    const facts = { operation, region, identifiers }
    const routing = await requestRouting(deps.resolver(), facts, caller.allow, state.config.routing.verify)
    enter('decide')
    settleDecision(outcome, facts, decide({ ...facts, routing }, caller.allow, state.catalog), caller.monitorEndMs, deps.now())
    if (!(request instanceof Http2ServerRequest)) throw new BedrockError('ValidationException', HTTP2_ONLY)
    enter('forward')
    if (deps.draining()) throw new LoadShedError('draining')
    if (deps.inFlight.bidirectionalStreams >= limits.maxConcurrentBidirectionalStreams) throw new LoadShedError('bidirectional_stream_limit')
    const inFlight = deps.inFlight.startBidirectional()
    tracked = inFlight
    stopWatching = watchForDeparture(request, response, () => inFlight.callerLeft())
    const upstream = await deps.forwarder().openEventStream({
      api: understanding.api,
      region,
      path: understanding.upstreamPath,
      headers: upstreamRequestHeaders(request.headers, operation)
    })
    enter('relay')
    const relayed = await relayEventStream(request, response, upstream, {
      requestId,
      openEvent: envelopeOpener(caller, state, deps.now),
      shutdown: inFlight.signal,
      idleTimeoutMs: limits.bidirectionalIdleTimeoutMs,
      maxDurationMs: limits.bidirectionalMaxDurationMs,
      now: () => deps.now().getTime()
    })
    outcome.upstream = relayed
    outcome.bytesIn = relayed.callerBytes
    if (relayed.fault !== undefined) outcome.error = relayed.fault
  } catch (error) {
    if (error instanceof CallerLeftError) return
    if (!(error instanceof BedrockError)) deps.onInternalError({ requestId, stage, error })
    const bedrockError = error instanceof BedrockError ? error : internalError(error)
    outcome.error = bedrockError
    failHijackedReply(response, bedrockError, requestId)
  } finally {
    stopWatching()
    closeCallerSide(request, limits.bidirectionalIdleTimeoutMs)
    tracked?.done()
    trace.end(outcome)
    deps.onOutcome(outcome)
  }
}
