import type { Exchange } from '../exchange.ts'
import type { AsyncInvokeStore } from './async-invoke-store.ts'
import type { RuntimeRoute } from './runtime-route.ts'

/** Everything a runtime operation handler needs to answer one request. */
export interface RuntimeContext {
  readonly exchange: Exchange
  readonly route: RuntimeRoute
  /** The SigV4 scope region the request was signed for. */
  readonly region: string
  /** The text to reply with, a `largeBody` fault already applied. */
  readonly replyText: string
  readonly frameDelayMs: number
  readonly asyncInvokes: AsyncInvokeStore
}

export const MALFORMED_INPUT_MESSAGE = 'Malformed input request, please reformat your input and try again.'

/** The body as a JSON object, or undefined (after answering ValidationException) when it is not one. */
export function jsonBodyOrRefuse (context: Pick<RuntimeContext, 'exchange'>): Record<string, unknown> | undefined {
  const body = context.exchange.record.body
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'))
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>
  } catch {
    // answered below
  }
  context.exchange.sendError('ValidationException', MALFORMED_INPUT_MESSAGE)
  return undefined
}
