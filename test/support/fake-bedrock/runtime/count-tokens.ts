import { countInputTokens } from '../reply.ts'
import { jsonBodyOrRefuse, type RuntimeContext } from './context.ts'

/**
 * What CountTokens counts: for `input.invokeModel`, the decoded body (so the count equals InvokeModel's input tokens
 * for that body); for `input.converse`, its JSON text.
 */
export function countedPayload (request: Record<string, unknown>): Uint8Array | undefined {
  const input = request.input as { invokeModel?: { body?: unknown }, converse?: unknown } | undefined
  if (typeof input?.invokeModel?.body === 'string') return Buffer.from(input.invokeModel.body, 'base64')
  if (input?.converse !== undefined) return Buffer.from(JSON.stringify(input.converse), 'utf8')
  return undefined
}

export async function answerCountTokens (context: RuntimeContext): Promise<void> {
  const request = jsonBodyOrRefuse(context)
  if (request === undefined) return
  const payload = countedPayload(request)
  if (payload === undefined) {
    context.exchange.sendError('ValidationException', "CountTokens needs 'input.invokeModel' or 'input.converse'.")
    return
  }
  await context.exchange.sendJson(200, { inputTokens: countInputTokens(payload) })
}
