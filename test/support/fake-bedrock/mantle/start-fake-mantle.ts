import { DEFAULT_FRAME_DELAY_MS, DEFAULT_REPLY_TEXT, FAKE_UPSTREAM_CREDENTIALS, MAX_CLOCK_SKEW_MS } from '../constants.ts'
import type { AcceptedCredentials } from '../credentials.ts'
import type { Exchange } from '../exchange.ts'
import { startFakeServer } from '../fake-http-server.ts'
import { answerChatCompletions, answerCountTokens, answerMessages, answerResponses, type OpenAIAnswerContext } from '../openai/openai-answers.ts'
import type { FakeHttpService } from '../types.ts'

/** bedrock-mantle's inference paths (https://docs.aws.amazon.com/bedrock/latest/userguide/bedrock-mantle.html). */
const MANTLE_ROUTES: Readonly<Record<string, { readonly operation: string, readonly answer: (context: OpenAIAnswerContext) => Promise<void> }>> = {
  '/v1/chat/completions': { operation: 'MantleChatCompletions', answer: answerChatCompletions },
  '/openai/v1/chat/completions': { operation: 'MantleOpenAIChatCompletions', answer: answerChatCompletions },
  '/v1/responses': { operation: 'MantleResponses', answer: answerResponses },
  '/openai/v1/responses': { operation: 'MantleOpenAIResponses', answer: answerResponses },
  '/anthropic/v1/messages': { operation: 'MantleMessages', answer: answerMessages },
  '/anthropic/v1/messages/count_tokens': { operation: 'MantleCountTokens', answer: answerCountTokens }
}

export interface FakeMantleOptions {
  readonly credentials?: AcceptedCredentials
  /** The signing name it accepts; `bedrock-mantle` by default, as AWS's IAM prefix for mantle. */
  readonly signingService?: string
  readonly replyText?: string
  readonly frameDelayMs?: number
}

function routeOf (method: string, rawUrl: string): (typeof MANTLE_ROUTES)[string] | undefined {
  return method === 'POST' && Object.hasOwn(MANTLE_ROUTES, rawUrl) ? MANTLE_ROUTES[rawUrl] : undefined
}

/** Starts a fake bedrock-mantle on 127.0.0.1: it verifies each signature and answers in OpenAI's or Anthropic's shape. */
export async function startFakeMantle (options: FakeMantleOptions = {}): Promise<FakeHttpService> {
  const replyText = options.replyText ?? DEFAULT_REPLY_TEXT
  const frameDelayMs = options.frameDelayMs ?? DEFAULT_FRAME_DELAY_MS
  return await startFakeServer({
    credentials: options.credentials ?? FAKE_UPSTREAM_CREDENTIALS,
    maxClockSkewMs: MAX_CLOCK_SKEW_MS,
    retainRequests: true,
    signingService: options.signingService ?? 'bedrock-mantle',
    operationOf: (method, rawUrl) => routeOf(method, rawUrl)?.operation,
    answer: async (exchange: Exchange) => {
      const route = routeOf(exchange.record.method, exchange.record.path)
      if (route === undefined) {
        exchange.sendError('ResourceNotFoundException', `No bedrock-mantle path matches ${exchange.record.method} ${exchange.record.path}`)
        return
      }
      await route.answer({ exchange, replyText, frameDelayMs })
    }
  })
}
