import type { OpenAIRuntimeOperationName } from './operation-names.ts'
import { type OperationSpec, operationsOf } from './operation-spec.ts'

const operation = operationsOf('bedrock-runtime')
const MODEL_ACTION = 'bedrock:InvokeModel'
const ACTIONS = [MODEL_ACTION, 'bedrock:InvokeModelWithResponseStream']

/**
 * bedrock-runtime's OpenAI-compatible operations. botocore does not model them; the paths are the ones LiteLLM and
 * the OpenAI SDKs call under `https://bedrock-runtime.{region}.amazonaws.com/openai/v1`, with the model id in the JSON
 * body and `"stream": true` asking for Server-Sent Events.
 *
 * IAM: "Making inference requests" (https://docs.aws.amazon.com/bedrock/latest/userguide/inference.html) grants
 * inference "through the bedrock-runtime endpoint (Converse, Invoke, Chat Completions, and Responses APIs)" with
 * `bedrock:InvokeModel` and `bedrock:InvokeModelWithResponseStream`; each row names both, as a call streams whenever its body says
 * so. Chat Completions:
 * https://docs.aws.amazon.com/bedrock/latest/userguide/inference-chat-completions.html; Responses:
 * https://docs.aws.amazon.com/bedrock/latest/userguide/inference-responses-api.html. Neither documents any model or
 * guardrail id in the body besides `model`.
 */
export const OPENAI_RUNTIME_OPERATIONS: Readonly<Record<OpenAIRuntimeOperationName, OperationSpec>> = {
  OpenAIChatCompletions: operation('POST', '/openai/v1/chat/completions', MODEL_ACTION,
    { identifiers: ['body.model'], streamsWhenBodySays: true, sse: 'openai', iamActions: ACTIONS }),
  OpenAIResponses: operation('POST', '/openai/v1/responses', MODEL_ACTION,
    { identifiers: ['body.model'], streamsWhenBodySays: true, sse: 'openai', iamActions: ACTIONS })
}
