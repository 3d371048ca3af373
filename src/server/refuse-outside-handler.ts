import type { FastifyReply } from 'fastify'
import type { BedrockError } from '../core/index.ts'
import type { GatewayDeps, RequestOutcome } from './handle-bedrock-request.ts'
import { type RequestStage, UNAUTHENTICATED_CLIENT } from './metrics.ts'
import { NO_TRACING } from './tracing.ts'
import { newRequestId, sendBedrockError } from './error-replies.ts'

/** What was learnt about a request before it was refused; its caller is unauthenticated unless named. */
export type RefusalFacts = Partial<Pick<RequestOutcome, 'clientName' | 'operation' | 'region' | 'identifiers' | 'decision'>>

/** The outcome of a request refused outside the handler: its audit line and metrics are written from this. */
export function refusalOutcome (error: BedrockError, requestId: string, startedAt: bigint, facts: RefusalFacts = {}): RequestOutcome {
  return { requestId, clientName: UNAUTHENTICATED_CLIENT, identifiers: [], ...facts, error, bytesIn: 0, startedAt }
}

/**
 * Answers a request the handler never sees (shed, refused before its body is read, or refused by the framework) in
 * Bedrock's shape, and writes its audit line, metrics and trace as the handler would: every request leaves exactly one
 * of each. A `requestId` is passed in when a failure was already logged under it, so the answer and the log agree;
 * `stage`, where the request was refused, gives its trace a span for that stage. The answer and the audit line come
 * first: the trace is the only part that calls out of the gateway's own code, and a failure in it is reported, never
 * left to change what the caller gets.
 */
export function refuseOutsideHandler (
  reply: FastifyReply,
  deps: Pick<GatewayDeps, 'onOutcome' | 'onInternalError' | 'tracer'>,
  error: BedrockError,
  facts: RefusalFacts = {},
  requestId = newRequestId(),
  stage?: RequestStage
): void {
  const startedAt = process.hrtime.bigint()
  sendBedrockError(reply, error, requestId)
  const outcome = refusalOutcome(error, requestId, startedAt, facts)
  deps.onOutcome(outcome)
  try {
    const trace = (deps.tracer ?? NO_TRACING).startRequest(reply.request.headers)
    if (stage !== undefined) trace.enter(stage)
    trace.end(outcome)
  } catch (failure) {
    deps.onInternalError({ requestId, stage: stage ?? 'framework', error: failure })
  }
}
