import type { FastifyReply } from 'fastify'
import { toWireError, type BedrockError } from '../core/index.ts'

/** Answers with a Bedrock-shaped error: status, `x-amzn-ErrorType`, `x-amzn-RequestId` and the JSON body. */
export function sendBedrockError (reply: FastifyReply, error: BedrockError, requestId: string): void {
  const wire = toWireError(error, requestId)
  // As bytes: Fastify appends `; charset=utf-8` to a JSON content type sent with a string, and Bedrock sends none.
  void reply.code(wire.status).headers(wire.headers).send(Buffer.from(wire.body))
}
