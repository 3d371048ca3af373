import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { BedrockError, JSON_CONTENT_TYPE, MS_PER_SECOND, REQUEST_ID_HEADER, toWireError } from '../core/index.ts'
import {
  BEDROCK_SERVICE,
  encodeEventFrame,
  EVENT_STREAM_CONTENT_TYPE,
  type NamedIdentifier,
  type OperationName
} from '../bedrock/index.ts'

/**
 * A Bedrock that runs nowhere but here: it answers every operation the gateway forwards with a short, well-formed
 * answer of the shape Bedrock gives (streams included), so a trial needs no AWS account. It is for `demo` only and
 * says so in every answer. It never checks signatures: the gateway in front of it does all the checking a trial shows.
 */
export interface BedrockSimulator {
  /** `http://127.0.0.1:PORT`: what the demo's `upstream.endpoint` names. */
  readonly url: string
  close (): Promise<void>
}

/** Marks every answer, so nobody mistakes a simulated reply for a model's. */
export const SIMULATOR_HEADER = 'x-bedrock-geofence-simulator'
const SIMULATED_TEXT = 'Hello from the bedrock-geofence simulator. No request left this machine.'
const LOOPBACK = '127.0.0.1'
const MANTLE_PREFIX = '/mantle'
const SSE_CONTENT_TYPE = 'text/event-stream'
const SSE_DONE = '[DONE]'
const BYTES_PER_TOKEN = 4
/** The pause between streamed events, so a stream is seen arriving event by event. */
const EVENT_INTERVAL_MS = 20

interface SimulatedRequest {
  readonly operation: OperationName
  readonly identifiers: readonly NamedIdentifier[]
  readonly body: Buffer
  readonly requestId: string
}

type Answer = (request: SimulatedRequest, response: ServerResponse) => Promise<void>

function tokensIn (body: Buffer): number {
  return Math.max(1, Math.ceil(body.length / BYTES_PER_TOKEN))
}

const OUTPUT_TOKENS = tokensIn(Buffer.from(SIMULATED_TEXT))

function modelOf (request: SimulatedRequest): string {
  return request.identifiers[0]?.id.text ?? 'unknown-model'
}

function sendJson (response: ServerResponse, request: SimulatedRequest, value: unknown, headers: Record<string, string> = {}): Promise<void> {
  const body = JSON.stringify(value)
  response.writeHead(200, { 'content-type': JSON_CONTENT_TYPE, 'content-length': Buffer.byteLength(body), [REQUEST_ID_HEADER]: request.requestId, [SIMULATOR_HEADER]: 'true', ...headers })
  return new Promise((resolve) => response.end(body, resolve))
}

async function sendEvents (response: ServerResponse, request: SimulatedRequest, events: ReadonlyArray<readonly [string, unknown]>): Promise<void> {
  response.writeHead(200, { 'content-type': EVENT_STREAM_CONTENT_TYPE, [REQUEST_ID_HEADER]: request.requestId, [SIMULATOR_HEADER]: 'true' })
  for (const [eventType, payload] of events) {
    if (response.destroyed) return
    response.write(encodeEventFrame(eventType, payload))
    await new Promise((resolve) => setTimeout(resolve, EVENT_INTERVAL_MS))
  }
  await new Promise<void>((resolve) => response.end(resolve))
}

function words (): string[] {
  return SIMULATED_TEXT.split(/(?<= )/)
}

const isAnthropic = (request: SimulatedRequest): boolean => modelOf(request).includes('anthropic.')

function base64Json (value: unknown): { bytes: string } {
  return { bytes: Buffer.from(JSON.stringify(value)).toString('base64') }
}

const ANSWERS: Readonly<Record<OperationName, Answer>> = {
  Converse: (request, response) => sendJson(response, request, {
    output: { message: { role: 'assistant', content: [{ text: SIMULATED_TEXT }] } },
    stopReason: 'end_turn',
    usage: { inputTokens: tokensIn(request.body), outputTokens: OUTPUT_TOKENS, totalTokens: tokensIn(request.body) + OUTPUT_TOKENS },
    metrics: { latencyMs: 1 }
  }),
  ConverseStream: (request, response) => sendEvents(response, request, [
    ['messageStart', { role: 'assistant' }],
    ...words().map((text) => ['contentBlockDelta', { contentBlockIndex: 0, delta: { text } }] as const),
    ['contentBlockStop', { contentBlockIndex: 0 }],
    ['messageStop', { stopReason: 'end_turn' }],
    ['metadata', { usage: { inputTokens: tokensIn(request.body), outputTokens: OUTPUT_TOKENS, totalTokens: tokensIn(request.body) + OUTPUT_TOKENS }, metrics: { latencyMs: 1 } }]
  ]),
  InvokeModel: (request, response) => sendJson(response, request, isAnthropic(request)
    ? {
        id: `msg_${request.requestId}`,
        type: 'message',
        role: 'assistant',
        model: modelOf(request),
        content: [{ type: 'text', text: SIMULATED_TEXT }],
        stop_reason: 'end_turn',
        usage: { input_tokens: tokensIn(request.body), output_tokens: OUTPUT_TOKENS }
      }
    : { output: { message: { role: 'assistant', content: [{ text: SIMULATED_TEXT }] } }, stopReason: 'end_turn', usage: { inputTokens: tokensIn(request.body), outputTokens: OUTPUT_TOKENS } },
  { 'x-amzn-bedrock-input-token-count': String(tokensIn(request.body)), 'x-amzn-bedrock-output-token-count': String(OUTPUT_TOKENS) }),
  InvokeModelWithResponseStream: (request, response) => {
    const metrics = { 'amazon-bedrock-invocationMetrics': { inputTokenCount: tokensIn(request.body), outputTokenCount: OUTPUT_TOKENS, invocationLatency: 1, firstByteLatency: 1 } }
    const chunks = isAnthropic(request)
      ? [
          { type: 'message_start', message: { role: 'assistant', model: modelOf(request), content: [], usage: { input_tokens: tokensIn(request.body), output_tokens: 0 } } },
          ...words().map((text) => ({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } })),
          { type: 'message_stop', ...metrics }
        ]
      : [...words().map((text) => ({ contentBlockDelta: { delta: { text }, contentBlockIndex: 0 } })), { messageStop: { stopReason: 'end_turn' }, ...metrics }]
    return sendEvents(response, request, chunks.map((chunk) => ['chunk', base64Json(chunk)] as const))
  },
  CountTokens: (request, response) => sendJson(response, request, { inputTokens: tokensIn(request.body) }),
  ApplyGuardrail: (request, response) => sendJson(response, request, { action: 'NONE', outputs: [], assessments: [], usage: { topicPolicyUnits: 1, contentPolicyUnits: 1, wordPolicyUnits: 1, sensitiveInformationPolicyUnits: 1, sensitiveInformationPolicyFreeUnits: 0, contextualGroundingPolicyUnits: 0 } }),
  InvokeGuardrailChecks: (request, response) => sendJson(response, request, { results: [] }),
  StartAsyncInvoke: (request, response) => sendJson(response, request, { invocationArn: `arn:aws:bedrock:us-east-1:000000000000:async-invoke/${request.requestId.replaceAll('-', '').slice(0, 12)}` }),
  GetAsyncInvoke: (request, response) => sendJson(response, request, {
    invocationArn: modelOf(request),
    modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-reel-v1:0',
    status: 'Completed',
    submitTime: new Date(0).toISOString(),
    endTime: new Date(0).toISOString(),
    outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://simulated-bucket/output/' } }
  }),
  ListAsyncInvokes: (request, response) => sendJson(response, request, { asyncInvokeSummaries: [] }),
  // The demo's allowlist does not enable it, and the gateway would open it over HTTP/2, which this HTTP/1.1
  // simulator does not speak; answered as Bedrock answers a request it cannot take.
  InvokeModelWithBidirectionalStream: () => Promise.reject(new BedrockError('ValidationException', 'The simulator does not simulate bidirectional streams.')),
  OpenAIChatCompletions: answerChatCompletion,
  OpenAIResponses: answerResponse,
  MantleChatCompletions: answerChatCompletion,
  MantleOpenAIChatCompletions: answerChatCompletion,
  MantleResponses: answerResponse,
  MantleOpenAIResponses: answerResponse,
  MantleMessages: answerMessage,
  MantleCountTokens: (request, response) => sendJson(response, request, { input_tokens: tokensIn(request.body) }),
  Rerank: (request, response) => sendJson(response, request, { results: [{ index: 0, relevanceScore: 0.9 }] }),
  Retrieve: (request, response) => sendJson(response, request, { retrievalResults: [{ content: { type: 'TEXT', text: SIMULATED_TEXT }, score: 0.9 }] }),
  RetrieveAndGenerate: (request, response) => sendJson(response, request, { sessionId: request.requestId, output: { text: SIMULATED_TEXT }, citations: [] }),
  RetrieveAndGenerateStream: (request, response) => sendEvents(response, request, [
    ...words().map((text) => ['output', { text }] as const)
  ]),
  InvokeAgent: answerAgent,
  InvokeInlineAgent: answerAgent,
  InvokeFlow: (request, response) => sendEvents(response, request, [
    ['flowOutputEvent', { nodeName: 'FlowOutputNode', nodeType: 'Output', content: { document: SIMULATED_TEXT } }],
    ['flowCompletionEvent', { completionReason: 'SUCCESS' }]
  ])
}

function wantsStream (request: SimulatedRequest): boolean {
  try {
    return (JSON.parse(request.body.toString('utf8')) as { stream?: unknown }).stream === true
  } catch {
    return false
  }
}

/** Server-Sent Events, one `event:` (when named) and `data:` line pair an event, as the OpenAI and Anthropic APIs send them. */
async function sendServerSentEvents (response: ServerResponse, request: SimulatedRequest, events: ReadonlyArray<readonly [string | undefined, unknown]>): Promise<void> {
  response.writeHead(200, { 'content-type': SSE_CONTENT_TYPE, 'cache-control': 'no-cache', [REQUEST_ID_HEADER]: request.requestId, [SIMULATOR_HEADER]: 'true' })
  for (const [name, data] of events) {
    if (response.destroyed) return
    response.write(`${name === undefined ? '' : `event: ${name}\n`}data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`)
    await new Promise((resolve) => setTimeout(resolve, EVENT_INTERVAL_MS))
  }
  await new Promise<void>((resolve) => response.end(resolve))
}

function answerChatCompletion (request: SimulatedRequest, response: ServerResponse): Promise<void> {
  const base = { id: `chatcmpl-${request.requestId}`, created: Math.floor(Date.now() / MS_PER_SECOND), model: modelOf(request) }
  const usage = { prompt_tokens: tokensIn(request.body), completion_tokens: OUTPUT_TOKENS, total_tokens: tokensIn(request.body) + OUTPUT_TOKENS }
  if (!wantsStream(request)) {
    return sendJson(response, request, { ...base, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: SIMULATED_TEXT }, finish_reason: 'stop' }], usage })
  }
  const chunk = (delta: object, finishReason: string | null): object => ({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finishReason }] })
  return sendServerSentEvents(response, request, [
    ...words().map((content, at) => [undefined, chunk(at === 0 ? { role: 'assistant', content } : { content }, null)] as const),
    [undefined, { ...chunk({}, 'stop'), usage }],
    [undefined, SSE_DONE]
  ])
}

function answerResponse (request: SimulatedRequest, response: ServerResponse): Promise<void> {
  const itemId = `msg_${request.requestId}`
  const completed = {
    id: `resp_${request.requestId}`,
    object: 'response',
    created_at: Math.floor(Date.now() / MS_PER_SECOND),
    status: 'completed',
    model: modelOf(request),
    output: [{ type: 'message', id: itemId, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: SIMULATED_TEXT, annotations: [] }] }],
    usage: { input_tokens: tokensIn(request.body), output_tokens: OUTPUT_TOKENS, total_tokens: tokensIn(request.body) + OUTPUT_TOKENS }
  }
  if (!wantsStream(request)) return sendJson(response, request, completed)
  let sequence = 0
  const event = (type: string, fields: object): readonly [string, unknown] => [type, { type, sequence_number: sequence++, ...fields }]
  return sendServerSentEvents(response, request, [
    event('response.created', { response: { ...completed, status: 'in_progress', output: [], usage: null } }),
    ...words().map((delta) => event('response.output_text.delta', { item_id: itemId, output_index: 0, content_index: 0, delta })),
    event('response.output_text.done', { item_id: itemId, output_index: 0, content_index: 0, text: SIMULATED_TEXT }),
    event('response.completed', { response: completed })
  ])
}

function answerMessage (request: SimulatedRequest, response: ServerResponse): Promise<void> {
  const message = { id: `msg_${request.requestId}`, type: 'message', role: 'assistant', model: modelOf(request), stop_sequence: null }
  if (!wantsStream(request)) {
    return sendJson(response, request, { ...message, content: [{ type: 'text', text: SIMULATED_TEXT }], stop_reason: 'end_turn', usage: { input_tokens: tokensIn(request.body), output_tokens: OUTPUT_TOKENS } })
  }
  return sendServerSentEvents(response, request, [
    ['message_start', { type: 'message_start', message: { ...message, content: [], stop_reason: null, usage: { input_tokens: tokensIn(request.body), output_tokens: 0 } } }],
    ['content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }],
    ...words().map((text) => ['content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }] as const),
    ['content_block_stop', { type: 'content_block_stop', index: 0 }],
    ['message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: OUTPUT_TOKENS } }],
    ['message_stop', { type: 'message_stop' }]
  ])
}

/** An agent's answer: its text in `chunk` events, as bytes, the way InvokeAgent streams it. */
function answerAgent (request: SimulatedRequest, response: ServerResponse): Promise<void> {
  return sendEvents(response, request, words().map((text) => ['chunk', { bytes: Buffer.from(text).toString('base64') }] as const))
}

function sendError (response: ServerResponse, error: BedrockError, requestId: string): void {
  const wire = toWireError(error, requestId)
  response.writeHead(wire.status, { ...wire.headers, [SIMULATOR_HEADER]: 'true' })
  response.end(wire.body)
}

async function answer (incoming: IncomingMessage, response: ServerResponse): Promise<void> {
  const requestId = randomUUID()
  const body = Buffer.concat(await incoming.toArray() as Buffer[])
  const target = incoming.url ?? '/'
  const as = (path: string): ReturnType<typeof BEDROCK_SERVICE.understand> =>
    BEDROCK_SERVICE.understand({ method: incoming.method ?? '', target: path, headers: incoming.headers, body })
  // bedrock-mantle's own paths (`/v1/...`) are the gateway's `/mantle/v1/...`: the demo sends both APIs here.
  const atRoot = as(target)
  const atMantle = atRoot.ok ? atRoot : as(`${MANTLE_PREFIX}${target}`)
  const understood = atMantle.ok ? atMantle : atRoot
  if (!understood.ok) {
    sendError(response, new BedrockError('ValidationException', `The simulator cannot answer this request: ${understood.decision.message}`), requestId)
    return
  }
  const request = { operation: understood.operation, identifiers: understood.identifiers, body, requestId }
  try {
    await ANSWERS[understood.operation](request, response)
  } catch (error) {
    if (!response.headersSent) sendError(response, error instanceof BedrockError ? error : new BedrockError('InternalServerException', 'The simulator failed.'), requestId)
    else response.destroy()
  }
}

/** Starts the simulator on a free loopback port. */
export async function startBedrockSimulator (): Promise<BedrockSimulator> {
  const server: Server = createServer((incoming, response) => { answer(incoming, response).catch(() => response.destroy()) })
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK, resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${LOOPBACK}:${port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  }
}
