import type { Logger } from 'pino'
import { auditRecord } from './audit-log.ts'
import type { InternalFailure, RequestOutcome } from './handle-bedrock-request.ts'
import { LoadShedError } from './load-shed.ts'
import {
  UNAUTHENTICATED_CLIENT,
  modelIdentifier,
  isForwarded,
  modelLabel,
  type GeofenceMetrics,
  type RequestDecision
} from './metrics.ts'
import { MS_PER_SECOND, NS_PER_MS, NS_PER_SECOND } from '../core/index.ts'

/** A shed request may well have been allowed by the engine; what the caller got was a 503 without Bedrock. */
function verdict (outcome: RequestOutcome): RequestDecision {
  if (outcome.error instanceof LoadShedError) return 'shed'
  if (outcome.reportedOnly === true) return 'would_deny'
  if (outcome.decision !== undefined) return outcome.decision.allowed ? 'allowed' : 'denied'
  if (outcome.clientName === UNAUTHENTICATED_CLIENT) return 'unauthenticated'
  return 'denied'
}

/** Writes one request's audit line and metrics, from what the handler learnt; never from bodies. */
export function recordOutcome (outcome: RequestOutcome, metrics: GeofenceMetrics, logger: Logger): void {
  const elapsedNs = Number(process.hrtime.bigint() - outcome.startedAt)
  const decision = verdict(outcome)
  const { upstream } = outcome
  metrics.recordRequest({
    operation: outcome.operation,
    region: outcome.region,
    client: outcome.clientName,
    decision,
    reason: outcome.decision?.reason
  })
  metrics.recordBytes(outcome.operation, { in: outcome.bytesIn, out: upstream?.clientBytes ?? 0 })
  if (outcome.error instanceof LoadShedError) metrics.recordShed(outcome.error.shedCause)
  // Only a request handed to the forwarder says something about Bedrock (a status, or `none` when it never answered);
  // a shed one never left the gateway and must not look like an upstream failure.
  if (isForwarded(decision)) {
    metrics.recordUpstreamResponse({
      operation: outcome.operation,
      status: upstream?.status,
      latencySeconds: elapsedNs / NS_PER_SECOND,
      timeToFirstByteSeconds: upstream?.firstByteAfterMs === undefined ? undefined : upstream.firstByteAfterMs / MS_PER_SECOND
    })
  }
  const model = modelLabel(decision, outcome.identifiers)
  if (model !== undefined && upstream?.usage !== undefined) metrics.recordTokens(model, outcome.clientName, upstream.usage)
  auditRecord(logger, {
    requestId: outcome.requestId,
    upstreamRequestId: upstream?.bedrockRequestId,
    client: outcome.clientName,
    operation: outcome.operation,
    region: outcome.region,
    model: modelIdentifier(outcome.identifiers),
    decision,
    reason: outcome.decision?.reason,
    errorType: outcome.error?.type,
    shedCause: outcome.error instanceof LoadShedError ? outcome.error.shedCause : undefined,
    status: outcome.error?.status ?? upstream?.status,
    upstreamStatus: upstream?.status,
    upstreamContentType: outcome.upstreamContentType,
    latencyMs: Math.round(elapsedNs / NS_PER_MS),
    bytesIn: outcome.bytesIn,
    bytesOut: upstream?.clientBytes,
    usage: upstream?.usage
  })
}

/**
 * The one place an error nothing anticipated is reported: logged once with its stack, the request id the caller got
 * and the stage it broke in, and counted. The caller only ever sees an InternalServerException.
 */
export function recordInternalError (failure: InternalFailure, metrics: GeofenceMetrics, logger: Logger): void {
  metrics.recordInternalError(failure.stage)
  logger.error({ err: failure.error, requestId: failure.requestId, stage: failure.stage }, 'unexpected error: answered InternalServerException')
}
