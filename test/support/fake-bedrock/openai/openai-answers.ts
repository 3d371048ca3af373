import type { Exchange } from '../exchange.ts'
import { countInputTokens, countOutputTokens, replyDeltas } from '../reply.ts'
import { jsonBodyOrRefuse } from '../runtime/context.ts'

/** What an OpenAI- or Anthropic-shaped handler needs: the exchange, the reply text and the pacing of its events. */
export interface OpenAIAnswerContext {
  readonly exchange: Exchange
  readonly replyText: string
  readonly frameDelayMs: number
}

const FAKE_ID = 'fake-0001'
const CREATED = 1_700_000_000

function sseData (data: unknown, event?: string): string {
  return `${event === undefined ? '' : `event: ${event}\n`}data: ${JSON.stringify(data)}\n\n`
}

interface Request {
  readonly model: string
  readonly stream: boolean
  readonly inputTokens: number
}

/** The body's model and stream flag, or undefined after answering ValidationException. */
function readRequest (context: OpenAIAnswerContext): Request | undefined {
  const body = jsonBodyOrRefuse(context)
  if (body === undefined) return undefined
  const { model, stream } = body
  if (typeof model !== 'string') {
    context.exchange.sendError('ValidationException', 'model is required')
    return undefined
  }
  return { model, stream: stream === true, inputTokens: countInputTokens(context.exchange.record.body) }
}

/** OpenAI Chat Completions (https://platform.openai.com/docs/api-reference/chat): JSON, or chunks ending in `[DONE]`. */
export async function answerChatCompletions (context: OpenAIAnswerContext): Promise<void> {
  const request = readRequest(context)
  if (request === undefined) return
  const { replyText } = context
  const usage = { prompt_tokens: request.inputTokens, completion_tokens: countOutputTokens(replyText), total_tokens: request.inputTokens + countOutputTokens(replyText) }
  const base = { id: FAKE_ID, created: CREATED, model: request.model }
  if (!request.stream) {
    await context.exchange.sendJson(200, {
      ...base,
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', content: replyText }, finish_reason: 'stop' }],
      usage
    }, { text: replyText })
    return
  }
  const chunk = (delta: object, finishReason: string | null, extra: object = {}): string =>
    sseData({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finishReason }], ...extra })
  const events = [
    chunk({ role: 'assistant', content: '' }, null),
    ...replyDeltas(replyText).map((text) => chunk({ content: text }, null)),
    chunk({}, 'stop', { usage }),
    'data: [DONE]\n\n'
  ]
  await context.exchange.sendServerSentEvents(events, context.frameDelayMs, { text: replyText })
}

/** OpenAI Responses (https://platform.openai.com/docs/api-reference/responses): JSON, or typed events ending in `response.completed`. */
export async function answerResponses (context: OpenAIAnswerContext): Promise<void> {
  const request = readRequest(context)
  if (request === undefined) return
  const { replyText } = context
  const usage = { input_tokens: request.inputTokens, output_tokens: countOutputTokens(replyText), total_tokens: request.inputTokens + countOutputTokens(replyText) }
  const message = { id: 'msg_fake', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: replyText, annotations: [] }] }
  const response = (status: string, output: object[], extra: object = {}): object =>
    ({ id: 'resp_fake', object: 'response', created_at: CREATED, model: request.model, status, output, parallel_tool_calls: true, tool_choice: 'auto', tools: [], ...extra })
  if (!request.stream) {
    await context.exchange.sendJson(200, response('completed', [message], { usage }), { text: replyText })
    return
  }
  let sequence = 0
  const event = (type: string, data: object): string => sseData({ type, sequence_number: sequence++, ...data }, type)
  const events = [
    event('response.created', { response: response('in_progress', []) }),
    ...replyDeltas(replyText).map((delta) => event('response.output_text.delta', { item_id: 'msg_fake', output_index: 0, content_index: 0, delta, logprobs: [] })),
    event('response.completed', { response: response('completed', [message], { usage }) })
  ]
  await context.exchange.sendServerSentEvents(events, context.frameDelayMs, { text: replyText })
}

/** Anthropic Messages (https://docs.anthropic.com/en/api/messages): JSON, or its typed events. */
export async function answerMessages (context: OpenAIAnswerContext): Promise<void> {
  const request = readRequest(context)
  if (request === undefined) return
  const { replyText } = context
  const outputTokens = countOutputTokens(replyText)
  const message = (content: object[], stopReason: string | null, usage: object): object =>
    ({ id: 'msg_fake', type: 'message', role: 'assistant', model: request.model, content, stop_reason: stopReason, stop_sequence: null, usage })
  if (!request.stream) {
    await context.exchange.sendJson(200, message([{ type: 'text', text: replyText }], 'end_turn',
      { input_tokens: request.inputTokens, output_tokens: outputTokens }), { text: replyText })
    return
  }
  const events = [
    sseData({ type: 'message_start', message: message([], null, { input_tokens: request.inputTokens, output_tokens: 1 }) }, 'message_start'),
    sseData({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }, 'content_block_start'),
    ...replyDeltas(replyText).map((text) => sseData({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }, 'content_block_delta')),
    sseData({ type: 'content_block_stop', index: 0 }, 'content_block_stop'),
    sseData({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: outputTokens } }, 'message_delta'),
    sseData({ type: 'message_stop' }, 'message_stop')
  ]
  await context.exchange.sendServerSentEvents(events, context.frameDelayMs, { text: replyText })
}

/** Anthropic's count_tokens (https://docs.anthropic.com/en/api/messages-count-tokens): `{"input_tokens": N}`. */
export async function answerCountTokens (context: OpenAIAnswerContext): Promise<void> {
  const request = readRequest(context)
  if (request === undefined) return
  await context.exchange.sendJson(200, { input_tokens: request.inputTokens })
}
