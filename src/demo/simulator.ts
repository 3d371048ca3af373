import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { BedrockError, JSON_CONTENT_TYPE, REQUEST_ID_HEADER, toWireError } from '../core/index.ts'
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
  // The gateway does not carry it, so it never arrives here; answered as Bedrock answers a request it cannot take.
  InvokeModelWithBidirectionalStream: () => Promise.reject(new BedrockError('ValidationException', 'The simulator does not simulate bidirectional streams.')),
  // bedrock-agent-runtime is off in the shipped allowlist the demo runs, so these never arrive either.
  Rerank: notSimulated,
  Retrieve: notSimulated,
  RetrieveAndGenerate: notSimulated,
  RetrieveAndGenerateStream: notSimulated,
  InvokeAgent: notSimulated,
  InvokeInlineAgent: notSimulated,
  InvokeFlow: notSimulated
}

function notSimulated (): Promise<void> {
  return Promise.reject(new BedrockError('ValidationException', 'The simulator does not simulate bedrock-agent-runtime.'))
}

function sendError (response: ServerResponse, error: BedrockError, requestId: string): void {
  const wire = toWireError(error, requestId)
  response.writeHead(wire.status, { ...wire.headers, [SIMULATOR_HEADER]: 'true' })
  response.end(wire.body)
}

async function answer (incoming: IncomingMessage, response: ServerResponse): Promise<void> {
  const requestId = randomUUID()
  const body = Buffer.concat(await incoming.toArray() as Buffer[])
  const understood = BEDROCK_SERVICE.understand({ method: incoming.method ?? '', target: incoming.url ?? '/', headers: incoming.headers, body })
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
