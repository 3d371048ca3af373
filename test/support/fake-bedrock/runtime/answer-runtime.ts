import type { Exchange } from '../exchange.ts'
import { largeReplyText } from '../reply.ts'
import { answerApplyGuardrail } from './apply-guardrail.ts'
import { answerGetAsyncInvoke, answerListAsyncInvokes, answerStartAsyncInvoke } from './async-invoke.ts'
import type { AsyncInvokeStore } from './async-invoke-store.ts'
import type { RuntimeContext } from './context.ts'
import { answerConverse, answerConverseStream } from './converse.ts'
import { answerCountTokens } from './count-tokens.ts'
import { answerInvokeModel, answerInvokeModelWithResponseStream } from './invoke-model.ts'
import { runtimeRoute, type RuntimeOperation } from './runtime-route.ts'
import { answerChatCompletions, answerResponses } from '../openai/openai-answers.ts'

const HANDLERS: Readonly<Record<RuntimeOperation, (context: RuntimeContext) => Promise<void>>> = {
  Converse: answerConverse,
  ConverseStream: answerConverseStream,
  InvokeModel: answerInvokeModel,
  InvokeModelWithResponseStream: answerInvokeModelWithResponseStream,
  CountTokens: answerCountTokens,
  ApplyGuardrail: answerApplyGuardrail,
  StartAsyncInvoke: answerStartAsyncInvoke,
  GetAsyncInvoke: answerGetAsyncInvoke,
  ListAsyncInvokes: answerListAsyncInvokes,
  OpenAIChatCompletions: answerChatCompletions,
  OpenAIResponses: answerResponses
}

export interface RuntimeSettings {
  readonly replyText: string
  readonly frameDelayMs: number
  readonly asyncInvokes: AsyncInvokeStore
}

/** Answers one verified bedrock-runtime request; an unknown method and path gets UnknownOperationException. */
export async function answerRuntime (exchange: Exchange, settings: RuntimeSettings): Promise<void> {
  const { record } = exchange
  const route = runtimeRoute(record.method, record.path)
  if (route === undefined) {
    exchange.sendError('UnknownOperationException', `No bedrock-runtime operation matches ${record.method} ${record.path}`)
    return
  }
  const fault = exchange.fault
  await HANDLERS[route.operation]({
    exchange,
    route,
    region: record.region as string,
    replyText: fault?.kind === 'largeBody' ? largeReplyText(fault.bytes) : settings.replyText,
    frameDelayMs: settings.frameDelayMs,
    asyncInvokes: settings.asyncInvokes
  })
}
