import { eventFrame } from '../event-stream.ts'
import { countInputTokens } from '../reply.ts'
import { jsonBodyOrRefuse, type RuntimeContext } from './context.ts'
import { converseResponse, converseStreamEvents, modelFamily } from './model-bodies.ts'

const UNSUPPORTED_MODEL_MESSAGE = "This action doesn't support the model that you provided. Try again with a supported text or chat model."

function replyFactsOrRefuse (context: RuntimeContext): { text: string, inputTokens: number } | undefined {
  const request = jsonBodyOrRefuse(context)
  if (request === undefined) return undefined
  if (!Array.isArray(request.messages)) {
    context.exchange.sendError('ValidationException', 'A conversation must start with a user message.')
    return undefined
  }
  if (modelFamily(context.route.labels[0] as string) !== 'anthropic') {
    context.exchange.sendError('ValidationException', UNSUPPORTED_MODEL_MESSAGE)
    return undefined
  }
  return { text: context.replyText, inputTokens: countInputTokens(context.exchange.record.body) }
}

export async function answerConverse (context: RuntimeContext): Promise<void> {
  const reply = replyFactsOrRefuse(context)
  if (reply === undefined) return
  await context.exchange.sendJson(200, converseResponse(reply), { text: reply.text })
}

export async function answerConverseStream (context: RuntimeContext): Promise<void> {
  const reply = replyFactsOrRefuse(context)
  if (reply === undefined) return
  const frames = converseStreamEvents(reply).map(([eventType, payload]) => eventFrame(eventType, payload))
  await context.exchange.sendEventStream(frames, context.frameDelayMs, { text: reply.text })
}
