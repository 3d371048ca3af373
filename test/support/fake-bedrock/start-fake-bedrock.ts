import { DEFAULT_FRAME_DELAY_MS, DEFAULT_REPLY_TEXT, FAKE_UPSTREAM_CREDENTIALS, MAX_CLOCK_SKEW_MS } from './constants.ts'
import type { AcceptedCredentials } from './credentials.ts'
import { startFakeServer } from './fake-http-server.ts'
import { answerRuntime } from './runtime/answer-runtime.ts'
import { AsyncInvokeStore } from './runtime/async-invoke-store.ts'
import { runtimeRoute } from './runtime/runtime-route.ts'
import { agentRuntimeRoute } from './agent-runtime/agent-runtime-route.ts'
import { answerAgentRuntime } from './agent-runtime/answer-agent-runtime.ts'
import type { FakeHttpService, Fault } from './types.ts'

export interface FakeBedrockOptions {
  /** Whose signatures are accepted; default FAKE_UPSTREAM_CREDENTIALS. */
  readonly credentials?: AcceptedCredentials
  /** The text every text-generating operation replies with; default DEFAULT_REPLY_TEXT. */
  readonly replyText?: string
  /** Pause between event-stream frames; default DEFAULT_FRAME_DELAY_MS. */
  readonly frameDelayMs?: number
  /** Largest accepted difference between `x-amz-date` and the fake's clock; default 5 minutes. */
  readonly maxClockSkewMs?: number
  /** A fault for every request from the start (as `setFault`). */
  readonly fault?: Fault
  /** Keep every request in `requests` (default true); benches turn it off so memory stays flat under load. */
  readonly recordRequests?: boolean
}

export interface ReplySettings {
  readonly replyText: string
  readonly frameDelayMs: number
}

export interface FakeBedrock extends FakeHttpService {
  /** Changes the reply text or the frame pacing for requests from now on (until `reset()`). */
  configure (settings: Partial<ReplySettings>): void
  readonly replyText: string
  readonly frameDelayMs: number
  /** The reply text of the most recent answer that carried one. */
  readonly lastResponseText: string | undefined
}

/** Starts a fake bedrock-runtime (and bedrock-agent-runtime) on 127.0.0.1 with a random port. */
export async function startFakeBedrock (options: FakeBedrockOptions = {}): Promise<FakeBedrock> {
  const initial: ReplySettings = {
    replyText: options.replyText ?? DEFAULT_REPLY_TEXT,
    frameDelayMs: options.frameDelayMs ?? DEFAULT_FRAME_DELAY_MS
  }
  let settings = initial
  const asyncInvokes = new AsyncInvokeStore()
  const service = await startFakeServer({
    credentials: options.credentials ?? FAKE_UPSTREAM_CREDENTIALS,
    maxClockSkewMs: options.maxClockSkewMs ?? MAX_CLOCK_SKEW_MS,
    retainRequests: options.recordRequests ?? true,
    // bedrock-agent-runtime shares the fake: its paths never collide with the runtime's.
    operationOf: (method, rawUrl) => runtimeRoute(method, rawUrl)?.operation ?? agentRuntimeRoute(method, rawUrl)?.operation,
    answer: async exchange => {
      if (await answerAgentRuntime(exchange, settings)) return
      await answerRuntime(exchange, { ...settings, asyncInvokes })
    },
    onReset: () => {
      settings = initial
      asyncInvokes.clear()
      if (options.fault !== undefined) service.setFault(options.fault)
    }
  })
  if (options.fault !== undefined) service.setFault(options.fault)

  return {
    ...service,
    configure: changes => { settings = { ...settings, ...changes } },
    get replyText () { return settings.replyText },
    get frameDelayMs () { return settings.frameDelayMs },
    get lastResponseText () {
      return service.requests.findLast(record => record.response?.text !== undefined)?.response?.text
    }
  }
}
