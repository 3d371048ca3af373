import type { FastifyReply } from 'fastify'
import type { BedrockError } from '../bedrock/errors.ts'
import type { GatewayDeps, RequestOutcome } from './handle-bedrock-request.ts'
import { UNAUTHENTICATED_CLIENT } from './metrics.ts'
import { newRequestId } from './request-id.ts'
import { sendBedrockError } from './send-bedrock-error.ts'

/** The outcome of a request refused before anyone could be named: its audit line and metrics are written from this. */
export function refusalOutcome (error: BedrockError, requestId: string, startedAt: bigint): RequestOutcome {
  return { requestId, clientName: UNAUTHENTICATED_CLIENT, identifiers: [], error, bytesIn: 0, startedAt }
}

/**
 * Answers a request the handler never sees (shed, or refused by the framework) in Bedrock's shape, and writes its
 * audit line and metrics as the handler would: every request leaves exactly one of each.
 */
export function refuseOutsideHandler (reply: FastifyReply, deps: Pick<GatewayDeps, 'onOutcome'>, error: BedrockError): void {
  const startedAt = process.hrtime.bigint()
  const requestId = newRequestId()
  sendBedrockError(reply, error, requestId)
  deps.onOutcome(refusalOutcome(error, requestId, startedAt))
}
