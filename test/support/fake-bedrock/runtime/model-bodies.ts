import { FAKE_LATENCY_MS } from '../constants.ts'
import { countOutputTokens, fakeEmbedding, replyDeltas } from '../reply.ts'

/**
 * Pure builders of the bodies and events the fake sends, shaped after the bedrock-runtime service model (Converse*)
 * and the providers' documented native formats (InvokeModel*). Tests can call them to know what a client must get.
 */

export type ModelFamily = 'anthropic' | 'titan-embed' | 'cohere-embed'

const TITAN_EMBED_V1_DIMENSIONS = 1536
const TITAN_EMBED_DEFAULT_DIMENSIONS = 1024
const COHERE_EMBED_DIMENSIONS = 1024
const STOP_REASON = 'end_turn'

/** Embedding ids answer in their provider's format; every other model answers in Anthropic's messages format. */
export function modelFamily (modelId: string): ModelFamily {
  if (modelId.includes('amazon.titan-embed')) return 'titan-embed'
  if (modelId.includes('cohere.embed')) return 'cohere-embed'
  return 'anthropic'
}

export interface ReplyFacts {
  readonly text: string
  readonly inputTokens: number
}

function usage ({ text, inputTokens }: ReplyFacts): { inputTokens: number, outputTokens: number, totalTokens: number } {
  const outputTokens = countOutputTokens(text)
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens }
}

export function converseResponse (reply: ReplyFacts): unknown {
  return {
    output: { message: { role: 'assistant', content: [{ text: reply.text }] } },
    stopReason: STOP_REASON,
    usage: usage(reply),
    metrics: { latencyMs: FAKE_LATENCY_MS }
  }
}

/** ConverseStream's events in order, as [event type, payload]. */
export function converseStreamEvents (reply: ReplyFacts): Array<[string, unknown]> {
  return [
    ['messageStart', { role: 'assistant' }],
    ...replyDeltas(reply.text).map((text): [string, unknown] => ['contentBlockDelta', { delta: { text }, contentBlockIndex: 0 }]),
    ['contentBlockStop', { contentBlockIndex: 0 }],
    ['messageStop', { stopReason: STOP_REASON }],
    ['metadata', { usage: usage(reply), metrics: { latencyMs: FAKE_LATENCY_MS } }]
  ]
}

function anthropicModelName (modelId: string): string {
  const afterProvider = modelId.split('anthropic.')[1]
  return afterProvider === undefined ? 'claude-fake' : afterProvider.replace(/-v\d+(:\d+)?$/, '')
}

function anthropicMessageId (requestId: string): string {
  return `msg_bdrk_${requestId.replace(/-/g, '').slice(0, 24)}`
}

export function anthropicMessage (reply: ReplyFacts, modelId: string, requestId: string): unknown {
  return {
    id: anthropicMessageId(requestId),
    type: 'message',
    role: 'assistant',
    model: anthropicModelName(modelId),
    content: [{ type: 'text', text: reply.text }],
    stop_reason: STOP_REASON,
    stop_sequence: null,
    usage: { input_tokens: reply.inputTokens, output_tokens: countOutputTokens(reply.text) }
  }
}

/** Anthropic's streaming events, each of which InvokeModelWithResponseStream sends base64-encoded in a `chunk`. */
export function anthropicStreamEvents (reply: ReplyFacts, modelId: string, requestId: string): unknown[] {
  const outputTokens = countOutputTokens(reply.text)
  return [
    {
      type: 'message_start',
      message: {
        id: anthropicMessageId(requestId),
        type: 'message',
        role: 'assistant',
        model: anthropicModelName(modelId),
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: reply.inputTokens, output_tokens: 1 }
      }
    },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    ...replyDeltas(reply.text).map(text => ({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })),
    { type: 'content_block_stop', index: 0 },
    { type: 'message_delta', delta: { stop_reason: STOP_REASON, stop_sequence: null }, usage: { output_tokens: outputTokens } },
    {
      type: 'message_stop',
      'amazon-bedrock-invocationMetrics': {
        inputTokenCount: reply.inputTokens,
        outputTokenCount: outputTokens,
        invocationLatency: FAKE_LATENCY_MS,
        firstByteLatency: FAKE_LATENCY_MS
      }
    }
  ]
}

/** Titan text embeddings: `{embedding, inputTextTokenCount}`; v2 honours `dimensions`. */
export function titanEmbedding (request: Record<string, unknown>, modelId: string, inputTokens: number): unknown {
  const inputText = typeof request.inputText === 'string' ? request.inputText : ''
  const dimensions = modelId.includes('titan-embed-text-v1')
    ? TITAN_EMBED_V1_DIMENSIONS
    : typeof request.dimensions === 'number' ? request.dimensions : TITAN_EMBED_DEFAULT_DIMENSIONS
  return { embedding: fakeEmbedding(inputText, dimensions), inputTextTokenCount: inputTokens }
}

/** Cohere embeddings: one vector per input text, echoing the texts. */
export function cohereEmbedding (request: Record<string, unknown>, requestId: string): unknown {
  const texts = Array.isArray(request.texts) ? request.texts.map(String) : []
  return {
    embeddings: texts.map(text => fakeEmbedding(text, COHERE_EMBED_DIMENSIONS)),
    id: requestId,
    response_type: 'embeddings_floats',
    texts
  }
}
