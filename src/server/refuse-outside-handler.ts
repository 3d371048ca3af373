import type { FastifyReply } from 'fastify'
import type { BedrockError } from '../core/index.ts'
import type { GatewayDeps, RequestOutcome } from './handle-bedrock-request.ts'
import { UNAUTHENTICATED_CLIENT } from './metrics.ts'
import { newRequestId, sendBedrockError } from './error-replies.ts'

/** What was learnt about a request before it was refused; its caller is unauthenticated unless named. */
export type RefusalFacts = Partial<Pick<RequestOutcome, 'clientName' | 'operation' | 'region' | 'identifiers' | 'decision'>>

/** The outcome of a request refused outside the handler: its audit line and metrics are written from this. */
export function refusalOutcome (error: BedrockError, requestId: string, startedAt: bigint, facts: RefusalFacts = {}): RequestOutcome {
  return { requestId, clientName: UNAUTHENTICATED_CLIENT, identifiers: [], ...facts, error, bytesIn: 0, startedAt }
}

/**
 * Answers a request the handler never sees (shed, refused before its body is read, or refused by the framework) in
 * Bedrock's shape, and writes its audit line and metrics as the handler would: every request leaves exactly one of
 * each. A `requestId` is passed in when a failure was already logged under it, so the answer and the log agree.
 */
export function refuseOutsideHandler (
  reply: FastifyReply,
  deps: Pick<GatewayDeps, 'onOutcome'>,
  error: BedrockError,
  facts: RefusalFacts = {},
  requestId = newRequestId()
): void {
  const startedAt = process.hrtime.bigint()
  sendBedrockError(reply, error, requestId)
  deps.onOutcome(refusalOutcome(error, requestId, startedAt, facts))
}
