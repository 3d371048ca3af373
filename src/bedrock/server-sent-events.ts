import type { SseDialect } from './operation-spec.ts'
import type { TokenUsage } from './usage.ts'

/**
 * Server-Sent Events (https://html.spec.whatwg.org/multipage/server-sent-events.html), as the runtime's OpenAI paths
 * and bedrock-mantle stream them: `data:` lines, an event ended by a blank line.
 */
export const SSE_CONTENT_TYPE = 'text/event-stream'

const LF_LF = Buffer.from('\n\n')
const CRLF_CRLF = Buffer.from('\r\n\r\n')
/**
 * An event held back longer than this (Responses' `response.completed` repeats the whole answer) is passed on as it
 * comes: the relay then no longer promises whole events, and a failure after it breaks the connection off instead.
 */
export const MAXIMUM_HELD_EVENT_BYTES = 8 * 1024 * 1024

/**
 * Passes a Server-Sent Events body on event by event: each chunk up to its last complete event goes on at once, and
 * only the unfinished event after it is held. A failure can then be told to the caller with one more event that no
 * client reads as the tail of a half-sent one.
 */
export class SseEventGate {
  private held: Buffer | undefined
  /** True once an event outgrew MAXIMUM_HELD_EVENT_BYTES: from then on everything passes as it comes. */
  passingThrough = false

  admit (chunk: Buffer): Buffer {
    if (this.passingThrough) return chunk
    const bytes = this.held === undefined ? chunk : Buffer.concat([this.held, chunk])
    const end = Math.max(endAfter(bytes, LF_LF), endAfter(bytes, CRLF_CRLF))
    const rest = bytes.length - end
    if (rest > MAXIMUM_HELD_EVENT_BYTES) {
      this.passingThrough = true
      this.held = undefined
      return bytes
    }
    // A copy, so a small remainder never keeps a large chunk alive.
    this.held = rest === 0 ? undefined : Buffer.from(bytes.subarray(end))
    return end === bytes.length ? bytes : bytes.subarray(0, end)
  }

  /** The stream stopped inside an event (whitespace between events does not count). */
  get holdsPartialEvent (): boolean {
    return this.held !== undefined && this.held.toString('utf8').trim() !== ''
  }

  /** Whether an error event can still be appended so that clients read it as one. */
  get canAppendEvent (): boolean {
    return !this.passingThrough
  }
}

function endAfter (bytes: Buffer, boundary: Buffer): number {
  const at = bytes.lastIndexOf(boundary)
  return at === -1 ? 0 : at + boundary.length
}

/** What went wrong, in the two words every dialect has. */
export type SseFailure = 'failed' | 'unavailable'

/**
 * The event that ends a broken stream, in the shape its clients raise on. OpenAI's SDKs raise `APIError` on a data
 * event whose JSON has an `error` member (and LiteLLM reads the same); Anthropic's raise on `event: error`.
 */
export function encodeSseError (dialect: SseDialect, failure: SseFailure, message: string): Buffer {
  if (dialect === 'anthropic') {
    const type = failure === 'unavailable' ? 'overloaded_error' : 'api_error'
    return Buffer.from(`event: error\ndata: ${JSON.stringify({ type: 'error', error: { type, message } })}\n\n`)
  }
  const type = failure === 'unavailable' ? 'service_unavailable' : 'server_error'
  return Buffer.from(`data: ${JSON.stringify({ error: { message, type, code: type } })}\n\n`)
}

const DATA_FIELD = 'data:'
const USAGE_KEY = '"usage"'

function field (value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined
}

function count (value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined
}

function parseJson (text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/**
 * The usage object of an OpenAI- or Anthropic-shaped answer or event, in either spelling: Chat Completions'
 * `prompt_tokens`/`completion_tokens`, or Responses' and Anthropic's `input_tokens`/`output_tokens`.
 */
export function openAIUsageOf (usage: unknown): { input?: number, output?: number } {
  return {
    input: count(field(usage, 'prompt_tokens')) ?? count(field(usage, 'input_tokens')),
    output: count(field(usage, 'completion_tokens')) ?? count(field(usage, 'output_tokens'))
  }
}

/**
 * Reads token usage from whole Server-Sent Events as they pass: Chat Completions' last chunk (`usage`, when the caller
 * asked for it), Responses' `response.completed` (`response.usage`), Anthropic's `message_start` (`message.usage`,
 * the input) and `message_delta` (`usage`, the output so far). Only events that mention usage are parsed.
 */
export class SseUsageObserver {
  private input: number | undefined
  private output: number | undefined

  /** Whole events only (what SseEventGate lets through). */
  observe (events: Buffer): void {
    const text = events.toString('utf8')
    if (!text.includes(USAGE_KEY)) return
    for (const line of text.split('\n')) {
      if (!line.startsWith(DATA_FIELD) || !line.includes(USAGE_KEY)) continue
      const data = parseJson(line.slice(DATA_FIELD.length))
      const usage = field(data, 'usage') ?? field(field(data, 'response'), 'usage') ?? field(field(data, 'message'), 'usage')
      const { input, output } = openAIUsageOf(usage)
      if (input !== undefined) this.input = input
      if (output !== undefined) this.output = output
    }
  }

  usage (): TokenUsage | undefined {
    return this.input === undefined || this.output === undefined ? undefined : { inputTokens: this.input, outputTokens: this.output }
  }
}
