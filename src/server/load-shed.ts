import { BedrockError } from '../core/index.ts'

/**
 * Why the gateway turned a request away with 503 instead of serving it:
 * - `stream_limit`: `limits.maxConcurrentStreams` streams were already running;
 * - `bidirectional_stream_limit`: `limits.maxConcurrentBidirectionalStreams` bidirectional streams were already running;
 * - `event_loop_delay`: the event loop lagged more than `limits.maxEventLoopDelayMs`;
 * - `draining`: the request arrived on an open connection after a shutdown began;
 * - `grace_period_over`: it was still waiting for Bedrock's answer when the shutdown grace period ran out;
 * - `body_bytes_in_flight`: its body would take the bytes being read and held past `limits.maxBodyBytesInFlight`, or
 *   its client's past `limits.maxBodyBytesInFlightPerClient`.
 */
export const SHED_CAUSES = ['stream_limit', 'bidirectional_stream_limit', 'event_loop_delay', 'draining', 'grace_period_over', 'body_bytes_in_flight'] as const
export type ShedCause = (typeof SHED_CAUSES)[number]

const SHED_MESSAGES: Record<ShedCause, string> = {
  stream_limit: 'Too many concurrent streams through the gateway. Retry the request later.',
  bidirectional_stream_limit: 'Too many concurrent bidirectional streams through the gateway. Retry the request later.',
  event_loop_delay: 'The gateway is overloaded. Retry the request later.',
  draining: 'The gateway is shutting down. Retry the request.',
  grace_period_over: 'The gateway shut down before Amazon Bedrock answered. Retry the request.',
  body_bytes_in_flight: 'Too many request bytes are on their way through the gateway. Retry the request later.'
}

/**
 * A request shed to protect the gateway (or because it is going away). ServiceUnavailableException is what Bedrock
 * itself answers when it sheds load, so every SDK backs off and retries it, ideally on another replica.
 */
export class LoadShedError extends BedrockError {
  readonly shedCause: ShedCause

  constructor (shedCause: ShedCause) {
    super('ServiceUnavailableException', SHED_MESSAGES[shedCause])
    this.shedCause = shedCause
  }
}
