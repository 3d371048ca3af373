import { monitorEventLoopDelay } from 'node:perf_hooks'
import type { FastifyInstance } from 'fastify'
import type { GatewayDeps } from './handle-bedrock-request.ts'
import { LoadShedError } from './load-shed.ts'
import { refuseOutsideHandler } from './refuse-outside-handler.ts'
import { NS_PER_MS } from '../core/index.ts'

/**
 * The event-loop delay is the mean over windows this long. Over a whole second, one burst of work (a garbage
 * collection, a module loaded late, a burst of stream set-ups) moves the mean by a few milliseconds only: what crosses
 * the limit is a loop that stays behind, which is when shedding helps.
 */
export const EVENT_LOOP_SAMPLE_INTERVAL_MS = 1000

/** How often the histogram samples the loop; each sample's delay includes this much on top of the real lag. */
const HISTOGRAM_RESOLUTION_MS = 10

/**
 * The loop's delay over the window that just ended. With no sample in it (the loop was blocked all window long:
 * no histogram timer fired), how late this window's own timer fired instead. Counting that case as an infinite
 * delay, as @fastify/under-pressure (used here before) does, shed every request after a single stall, whatever the
 * limit.
 */
function windowDelayMs (histogram: ReturnType<typeof monitorEventLoopDelay>, elapsedMs: number): number {
  if (histogram.count > 0) return Math.max(0, histogram.mean / NS_PER_MS - HISTOGRAM_RESOLUTION_MS)
  return Math.max(0, elapsedMs - EVENT_LOOP_SAMPLE_INTERVAL_MS)
}

/**
 * When the event loop lags more than `limits.maxEventLoopDelayMs`, every new request is answered at once with a
 * Bedrock-shaped 503 ServiceUnavailableException, before its body is read or its signature checked: the callers'
 * SDKs back off and retry (elsewhere, behind a load balancer) instead of every request getting slower. The limit is
 * fixed when the listener starts. 0 turns the check off.
 */
export function shedUnderEventLoopPressure (app: FastifyInstance, deps: Pick<GatewayDeps, 'state' | 'onOutcome' | 'onInternalError' | 'tracer'>): void {
  const { maxEventLoopDelayMs } = deps.state().config.limits
  if (maxEventLoopDelayMs === 0) return
  const histogram = monitorEventLoopDelay({ resolution: HISTOGRAM_RESOLUTION_MS })
  histogram.enable()
  let overloaded = false
  let windowStartedAt = performance.now()
  const sampler = setInterval(() => {
    const now = performance.now()
    overloaded = windowDelayMs(histogram, now - windowStartedAt) > maxEventLoopDelayMs
    histogram.reset()
    windowStartedAt = now
  }, EVENT_LOOP_SAMPLE_INTERVAL_MS)
  sampler.unref()

  app.addHook('onRequest', (_request, reply, done) => {
    if (!overloaded) {
      done()
      return
    }
    // Sent here, so the request goes no further: Fastify stops a request whose reply has been sent.
    refuseOutsideHandler(reply, deps, new LoadShedError('event_loop_delay'))
  })
  app.addHook('onClose', (_app, done) => {
    clearInterval(sampler)
    histogram.disable()
    done()
  })
}
