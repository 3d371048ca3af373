import { CONTENT_TYPE, FAKE_LATENCY_MS, HEADER } from '../constants.ts'
import { eventFrame } from '../event-stream.ts'
import { countInputTokens, countOutputTokens } from '../reply.ts'
import { jsonBodyOrRefuse, type RuntimeContext } from './context.ts'
import { anthropicMessage, anthropicStreamEvents, cohereEmbedding, modelFamily, titanEmbedding } from './model-bodies.ts'

const STREAMING_UNSUPPORTED_MESSAGE = 'The model is unsupported for streaming.'
const CHUNK_EVENT = 'chunk'

export async function answerInvokeModel (context: RuntimeContext): Promise<void> {
  const request = jsonBodyOrRefuse(context)
  if (request === undefined) return
  const { exchange } = context
  const modelId = context.route.labels[0] as string
  const inputTokens = countInputTokens(exchange.record.body)
  const usageHeaders = {
    [HEADER.inputTokenCount]: String(inputTokens),
    [HEADER.invocationLatency]: String(FAKE_LATENCY_MS)
  }
  switch (modelFamily(modelId)) {
    case 'titan-embed':
      await exchange.sendJson(200, titanEmbedding(request, modelId, inputTokens), { headers: usageHeaders })
      return
    case 'cohere-embed':
      await exchange.sendJson(200, cohereEmbedding(request, exchange.record.requestId), { headers: usageHeaders })
      return
    case 'anthropic': {
      const reply = { text: context.replyText, inputTokens }
      await exchange.sendJson(200, anthropicMessage(reply, modelId, exchange.record.requestId), {
        headers: { ...usageHeaders, [HEADER.outputTokenCount]: String(countOutputTokens(reply.text)) },
        text: reply.text
      })
    }
  }
}

export async function answerInvokeModelWithResponseStream (context: RuntimeContext): Promise<void> {
  if (jsonBodyOrRefuse(context) === undefined) return
  const { exchange } = context
  const modelId = context.route.labels[0] as string
  if (modelFamily(modelId) !== 'anthropic') {
    exchange.sendError('ValidationException', STREAMING_UNSUPPORTED_MESSAGE)
    return
  }
  const reply = { text: context.replyText, inputTokens: countInputTokens(exchange.record.body) }
  const frames = anthropicStreamEvents(reply, modelId, exchange.record.requestId).map(event =>
    eventFrame(CHUNK_EVENT, { bytes: Buffer.from(JSON.stringify(event), 'utf8').toString('base64') }))
  await exchange.sendEventStream(frames, context.frameDelayMs, {
    headers: { [HEADER.bedrockContentType]: CONTENT_TYPE.json },
    text: reply.text
  })
}
