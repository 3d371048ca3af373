import { eventFrame } from '../event-stream.ts'
import type { Exchange } from '../exchange.ts'
import { agentRuntimeRoute, type AgentRuntimeOperation } from './agent-runtime-route.ts'

/**
 * Answers bedrock-agent-runtime requests in the service model's shapes (2023-07-26): Rerank scores the sources in
 * order, Retrieve finds one passage, RetrieveAndGenerate(Stream) answers with the reply text, InvokeAgent and
 * InvokeInlineAgent stream it as `chunk` events (base64 `bytes`), InvokeFlow as a `flowOutputEvent` and a
 * `flowCompletionEvent`. Replies derive from exported pure functions, so tests can compute what a client must see.
 */

export interface AgentRuntimeSettings {
  readonly replyText: string
  readonly frameDelayMs: number
}

const SESSION_ID = 'fake-session-0001'
const PASSAGE_SCORE = 0.75
const VALIDATION = 'ValidationException'

/** The relevance Rerank gives the source at `index`: earlier sources rank higher. */
export function rerankScore (index: number): number {
  return 1 / (index + 1)
}

/** The passage Retrieve finds in knowledge base `knowledgeBaseId`. */
export function retrievedPassage (knowledgeBaseId: string): string {
  return `A passage from knowledge base ${knowledgeBaseId}.`
}

type Handler = (exchange: Exchange, labels: readonly string[], body: Record<string, unknown>, settings: AgentRuntimeSettings) => Promise<void>

const HANDLERS: Readonly<Record<AgentRuntimeOperation, Handler>> = {
  Rerank: async (exchange, _labels, body) => {
    if (!Array.isArray(body.sources) || !Array.isArray(body.queries)) {
      exchange.sendError(VALIDATION, 'queries and sources are required.')
      return
    }
    await exchange.sendJson(200, { results: body.sources.map((_source, index) => ({ index, relevanceScore: rerankScore(index) })) })
  },
  Retrieve: async (exchange, labels) => {
    const knowledgeBaseId = labels[0] ?? ''
    await exchange.sendJson(200, {
      retrievalResults: [{ content: { text: retrievedPassage(knowledgeBaseId), type: 'TEXT' }, location: { type: 'S3', s3Location: { uri: 's3://fake/doc.txt' } }, score: PASSAGE_SCORE }]
    })
  },
  RetrieveAndGenerate: async (exchange, _labels, _body, settings) => {
    await exchange.sendJson(200, { output: { text: settings.replyText }, citations: [], sessionId: SESSION_ID }, { text: settings.replyText })
  },
  RetrieveAndGenerateStream: async (exchange, _labels, _body, settings) => {
    const frames = [eventFrame('output', { text: settings.replyText }), eventFrame('citation', { generatedResponsePart: { textResponsePart: { text: settings.replyText } }, retrievedReferences: [] })]
    await exchange.sendEventStream(frames, settings.frameDelayMs, { text: settings.replyText, headers: { 'x-amzn-bedrock-knowledge-base-session-id': SESSION_ID } })
  },
  InvokeAgent: async (exchange, labels, _body, settings) => {
    await sendChunks(exchange, settings, labels[2] ?? SESSION_ID)
  },
  InvokeInlineAgent: async (exchange, labels, _body, settings) => {
    await sendChunks(exchange, settings, labels[0] ?? SESSION_ID)
  },
  InvokeFlow: async (exchange, _labels, body, settings) => {
    if (!Array.isArray(body.inputs)) {
      exchange.sendError(VALIDATION, 'inputs are required.')
      return
    }
    const frames = [
      eventFrame('flowOutputEvent', { nodeName: 'FlowOutputNode', content: { document: settings.replyText } }),
      eventFrame('flowCompletionEvent', { completionReason: 'SUCCESS' })
    ]
    await exchange.sendEventStream(frames, settings.frameDelayMs, { text: settings.replyText, headers: { 'x-amz-bedrock-flow-execution-id': 'fake-execution-0001' } })
  }
}

async function sendChunks (exchange: Exchange, settings: AgentRuntimeSettings, sessionId: string): Promise<void> {
  const frames = [eventFrame('chunk', { bytes: Buffer.from(settings.replyText, 'utf8').toString('base64') })]
  await exchange.sendEventStream(frames, settings.frameDelayMs, {
    text: settings.replyText,
    headers: { 'x-amzn-bedrock-agent-content-type': 'application/json', 'x-amz-bedrock-agent-session-id': sessionId }
  })
}

/** Answers one verified bedrock-agent-runtime request; false when the method and path are not one. */
export async function answerAgentRuntime (exchange: Exchange, settings: AgentRuntimeSettings): Promise<boolean> {
  const route = agentRuntimeRoute(exchange.record.method, exchange.record.path)
  if (route === undefined) return false
  let body: unknown
  try {
    body = JSON.parse(exchange.record.body.toString('utf8'))
  } catch {
    body = undefined
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    exchange.sendError(VALIDATION, 'The request body is not a JSON object.')
    return true
  }
  await HANDLERS[route.operation](exchange, route.labels, body as Record<string, unknown>, settings)
  return true
}
