import { EventStreamCodec, type Message } from '@smithy/eventstream-codec'
import { fromUtf8, toUtf8 } from '@smithy/util-utf8'
import { JSON_CONTENT_TYPE } from '../core/index.ts'
import { MESSAGE_TYPE_HEADER } from './event-stream.ts'
import { mediaTypeOf } from './headers.ts'
import { topLevelMemberText } from './json-body.ts'
import { openAIUsageOf } from './server-sent-events.ts'

/**
 * Token counts as Bedrock reports them, read passively from a response the gateway relays unchanged:
 * - InvokeModel: the `x-amzn-bedrock-input-token-count` / `-output-token-count` response headers;
 * - Converse: the JSON body's `usage` (Converse sends no usage headers);
 * - ConverseStream: the `metadata` event's `usage`;
 * - InvokeModelWithResponseStream: `amazon-bedrock-invocationMetrics` inside the last `chunk`'s base64 `bytes`.
 * Anything malformed yields no usage: a count is recorded only when Bedrock clearly stated it.
 */
export interface TokenUsage {
  readonly inputTokens: number
  readonly outputTokens: number
}

export const INPUT_TOKEN_COUNT_HEADER = 'x-amzn-bedrock-input-token-count'
export const OUTPUT_TOKEN_COUNT_HEADER = 'x-amzn-bedrock-output-token-count'
export const INVOCATION_METRICS_KEY = 'amazon-bedrock-invocationMetrics'

const EVENT_TYPE_HEADER = ':event-type'
const EVENT_MESSAGE_TYPE = 'event'
const CONVERSE_METADATA_EVENT = 'metadata'
const RESPONSE_STREAM_CHUNK_EVENT = 'chunk'
const DECIMAL_COUNT = /^\d{1,15}$/

/**
 * A usage-bearing frame is small; Bedrock's largest event part is 1,000,000 bytes (base64 in JSON: about 1.4 MB).
 * A frame announcing more is not one to read, and keeping it could cost up to the stream's whole length.
 */
export const MAXIMUM_USAGE_FRAME_BYTES = 2 * 1024 * 1024

const codec = new EventStreamCodec(toUtf8, fromUtf8)

/** Converse answers of a few hundred KB are normal; past this the body is relayed without being read for usage. */
export const DEFAULT_MAX_USAGE_BODY_BYTES = 4 * 1024 * 1024

type HeaderValue = string | readonly string[] | number | undefined

function isCount (value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

function usageOf (input: unknown, output: unknown): TokenUsage | undefined {
  return isCount(input) && isCount(output) ? { inputTokens: input, outputTokens: output } : undefined
}

function headerCount (value: HeaderValue): number | undefined {
  const text = Array.isArray(value) ? undefined : String(value ?? '')
  return text !== undefined && DECIMAL_COUNT.test(text) ? Number(text) : undefined
}

function parseJson (text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function field (value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined
}

/** InvokeModel's usage headers, from a lower-cased header map such as undici's or node's. */
export function usageFromHeaders (headers: Readonly<Record<string, HeaderValue>>): TokenUsage | undefined {
  return usageOf(headerCount(headers[INPUT_TOKEN_COUNT_HEADER]), headerCount(headers[OUTPUT_TOKEN_COUNT_HEADER]))
}

/**
 * The `usage` member of a Converse response body (or of a ConverseStream metadata event); for the OpenAI- and
 * Anthropic-shaped answers of the runtime's /openai/v1 paths and of bedrock-mantle, their own spelling of it.
 */
function usageFromConverseJson (json: string): TokenUsage | undefined {
  const usageText = topLevelMemberText(json, 'usage')
  const usage = usageText === undefined ? undefined : parseJson(usageText)
  const converse = usageOf(field(usage, 'inputTokens'), field(usage, 'outputTokens'))
  if (converse !== undefined) return converse
  const { input, output } = openAIUsageOf(usage)
  return usageOf(input, output)
}

function usageFromResponseStreamChunk (json: string): TokenUsage | undefined {
  const bytes = field(parseJson(json), 'bytes')
  if (typeof bytes !== 'string') return undefined
  const modelChunk = Buffer.from(bytes, 'base64').toString('utf8')
  // The model's own JSON (any provider's shape) is parsed only when it carries Bedrock's metrics.
  if (!modelChunk.includes(INVOCATION_METRICS_KEY)) return undefined
  const metrics = field(parseJson(modelChunk), INVOCATION_METRICS_KEY)
  return usageOf(field(metrics, 'inputTokenCount'), field(metrics, 'outputTokenCount'))
}

function stringHeader (message: Message, name: string): string | undefined {
  const header = message.headers[name]
  return header?.type === 'string' && typeof header.value === 'string' ? header.value : undefined
}

/** Usage carried by one decoded event-stream message, if it is the event that carries it. */
function usageFromEventMessage (message: Message): TokenUsage | undefined {
  if (stringHeader(message, MESSAGE_TYPE_HEADER) !== EVENT_MESSAGE_TYPE) return undefined
  const eventType = stringHeader(message, EVENT_TYPE_HEADER)
  if (eventType === CONVERSE_METADATA_EVENT) return usageFromConverseJson(Buffer.from(message.body).toString('utf8'))
  if (eventType === RESPONSE_STREAM_CHUNK_EVENT) return usageFromResponseStreamChunk(Buffer.from(message.body).toString('utf8'))
  return undefined
}

/**
 * The usage in a stream's last event-stream frame (ConverseStream's `metadata` event, or the final `chunk` of
 * InvokeModelWithResponseStream), if that frame is the event that carries it.
 */
export function usageFromLastFrame (frame: Uint8Array): TokenUsage | undefined {
  try {
    return usageFromEventMessage(codec.decode(frame))
  } catch {
    return undefined
  }
}

export interface BodyUsageObserver {
  /** Feed the response body's chunks as they are relayed. */
  observe (chunk: Uint8Array): void
  usage (): TokenUsage | undefined
}

function isJson (contentType: string | undefined): boolean {
  return contentType !== undefined && mediaTypeOf(contentType) === JSON_CONTENT_TYPE
}

/**
 * Keeps a copy of a Converse body while it is JSON and small enough, and reads `usage` from it once it is complete.
 * An error body or an oversized one is relayed without being kept.
 */
export function createConverseBodyUsageObserver (contentType: string | undefined, maxBytes: number = DEFAULT_MAX_USAGE_BODY_BYTES): BodyUsageObserver {
  let chunks: Uint8Array[] | undefined = isJson(contentType) ? [] : undefined
  let size = 0
  return {
    observe (chunk) {
      if (chunks === undefined) return
      size += chunk.byteLength
      if (size > maxBytes) {
        chunks = undefined
        return
      }
      chunks.push(chunk)
    },
    usage () {
      return chunks === undefined ? undefined : usageFromConverseJson(Buffer.concat(chunks).toString('utf8'))
    }
  }
}
