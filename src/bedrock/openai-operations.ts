import type { OpenAIRuntimeOperationName } from './operation-names.ts'
import { type OperationSpec, operationsOf } from './operation-spec.ts'

const operation = operationsOf('bedrock-runtime')

/**
 * bedrock-runtime's OpenAI-compatible operations. botocore does not model them; the paths are the ones LiteLLM and
 * the OpenAI SDKs call under `https://bedrock-runtime.{region}.amazonaws.com/openai/v1`, with the model id in the JSON
 * body and `"stream": true` asking for Server-Sent Events.
 *
 * IAM: "Making inference requests" (https://docs.aws.amazon.com/bedrock/latest/userguide/inference.html) grants
 * inference "through the bedrock-runtime endpoint (Converse, Invoke, Chat Completions, and Responses APIs)" with
 * `bedrock:InvokeModel` and `bedrock:InvokeModelWithResponseStream`; the table names the first, and the IAM and SCP
 * generators add the second for these rows because a call streams whenever its body says so. Chat Completions:
 * https://docs.aws.amazon.com/bedrock/latest/userguide/inference-chat-completions.html; Responses:
 * https://docs.aws.amazon.com/bedrock/latest/userguide/inference-responses-api.html. Neither documents any model or
 * guardrail id in the body besides `model`.
 */
export const OPENAI_RUNTIME_OPERATIONS: Readonly<Record<OpenAIRuntimeOperationName, OperationSpec>> = {
  OpenAIChatCompletions: operation('POST', '/openai/v1/chat/completions', 'bedrock:InvokeModel',
    { identifiers: ['body.model'], streamsWhenBodySays: true, sse: 'openai' }),
  OpenAIResponses: operation('POST', '/openai/v1/responses', 'bedrock:InvokeModel',
    { identifiers: ['body.model'], streamsWhenBodySays: true, sse: 'openai' })
}
