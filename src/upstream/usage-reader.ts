import {
  createConverseBodyUsageObserver,
  type EventStreamFrameTracker,
  type TokenUsage,
  usageFromHeaders,
  usageFromLastFrame
} from '../bedrock/index.ts'
import type { HeaderValues } from './header-policy.ts'

/** Reads the token usage of one relayed response, from its headers or from its body as it passes. */
export interface UsageReader {
  observe (chunk: Uint8Array): void
  usage (): TokenUsage | undefined
}

const SUCCESS = 200
const CONTENT_TYPE_HEADER = 'content-type'

function ignore (): void {}

/**
 * Chooses where a response's usage is: InvokeModel's usage headers when present (the body is then never read),
 * the last frame of an event stream (given its frame tracker, which keeps that frame), or a successful JSON body
 * (Converse's `usage`). Error answers carry none.
 */
export function usageReaderFor (status: number, headers: HeaderValues, frames: EventStreamFrameTracker | undefined): UsageReader | undefined {
  if (status !== SUCCESS) return undefined
  const fromHeaders = usageFromHeaders(headers)
  if (fromHeaders !== undefined) return { observe: ignore, usage: () => fromHeaders }
  if (frames !== undefined) {
    return {
      observe: ignore,
      usage: () => {
        const lastFrame = frames.lastFrame()
        return lastFrame === undefined ? undefined : usageFromLastFrame(lastFrame)
      }
    }
  }
  const contentType = headers[CONTENT_TYPE_HEADER]
  return createConverseBodyUsageObserver(typeof contentType === 'string' ? contentType : undefined)
}
