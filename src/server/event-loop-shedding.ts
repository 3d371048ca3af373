import underPressure from '@fastify/under-pressure'
import type { FastifyInstance } from 'fastify'
import type { GatewayDeps } from './handle-bedrock-request.ts'
import { LoadShedError } from './load-shed.ts'
import { UNAUTHENTICATED_CLIENT } from './metrics.ts'
import { newRequestId } from './request-id.ts'
import { sendBedrockError } from './send-bedrock-error.ts'

/**
 * The event-loop delay is the mean over windows this long. Over a whole second, one burst of work (a garbage
 * collection, a module loaded late, a burst of stream set-ups) moves the mean by a few milliseconds only: what crosses
 * the limit is a loop that stays behind, which is when shedding helps.
 */
export const EVENT_LOOP_SAMPLE_INTERVAL_MS = 1000

/**
 * When the event loop lags more than `limits.maxEventLoopDelayMs`, every new request is answered at once with a
 * Bedrock-shaped 503 ServiceUnavailableException, before its body is read or its signature checked: the callers'
 * SDKs back off and retry (elsewhere, behind a load balancer) instead of every request getting slower. The limit is
 * fixed when the listener starts. 0 turns the check off.
 */
export function shedUnderEventLoopPressure (app: FastifyInstance, deps: Pick<GatewayDeps, 'state' | 'onOutcome'>): void {
  const { maxEventLoopDelayMs } = deps.state().config.limits
  if (maxEventLoopDelayMs === 0) return
  void app.register(underPressure, {
    maxEventLoopDelay: maxEventLoopDelayMs,
    sampleInterval: EVENT_LOOP_SAMPLE_INTERVAL_MS,
    pressureHandler: (_request, reply) => {
      const startedAt = process.hrtime.bigint()
      const requestId = newRequestId()
      const error = new LoadShedError('event_loop_delay')
      // Sent here, so the request goes no further: Fastify stops a request whose reply has been sent.
      sendBedrockError(reply, error, requestId)
      deps.onOutcome({ requestId, clientName: UNAUTHENTICATED_CLIENT, identifiers: [], error, bytesIn: 0, startedAt })
    }
  })
}
