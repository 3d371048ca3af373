import type { Logger } from 'pino'
import { auditRecord } from './audit-log.ts'
import type { RequestOutcome } from './handle-bedrock-request.ts'
import { UNAUTHENTICATED_CLIENT, modelIdentifier, modelLabel, type GeofenceMetrics, type RequestDecision } from './metrics.ts'

const NANOSECONDS_PER_SECOND = 1e9
const NANOSECONDS_PER_MILLISECOND = 1e6

function verdict (outcome: RequestOutcome): RequestDecision {
  if (outcome.decision !== undefined) return outcome.decision.allowed ? 'allowed' : 'denied'
  if (outcome.clientName === UNAUTHENTICATED_CLIENT) return 'unauthenticated'
  if (outcome.error?.type === 'ServiceUnavailableException') return 'overloaded'
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
  if (outcome.decision?.allowed === true) {
    metrics.recordUpstreamResponse({
      operation: outcome.operation,
      status: upstream?.status,
      latencySeconds: elapsedNs / NANOSECONDS_PER_SECOND,
      timeToFirstByteSeconds: upstream?.firstByteAfterMs === undefined ? undefined : upstream.firstByteAfterMs / 1000
    })
  }
  const model = modelLabel(outcome.decision, outcome.identifiers)
  if (model !== undefined && upstream?.usage !== undefined) metrics.recordTokens(model, outcome.clientName, upstream.usage)
  auditRecord(logger, {
    requestId: outcome.requestId,
    client: outcome.clientName,
    operation: outcome.operation,
    region: outcome.region,
    model: modelIdentifier(outcome.identifiers),
    decision,
    reason: outcome.decision?.reason,
    errorType: outcome.error?.type,
    status: outcome.error?.status ?? upstream?.status,
    upstreamStatus: upstream?.status,
    latencyMs: Math.round(elapsedNs / NANOSECONDS_PER_MILLISECOND),
    bytesIn: outcome.bytesIn,
    bytesOut: upstream?.clientBytes,
    usage: upstream?.usage
  })
}
