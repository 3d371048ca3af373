import type { MantleOperationName } from './operation-names.ts'
import { type OperationSpec, operationsOf } from './operation-spec.ts'

/**
 * Where bedrock-mantle sits on the gateway. Both mantle and the runtime serve `/openai/v1/...`, so mantle's paths are
 * matched only behind this prefix (`BEDROCK_MANTLE_API_BASE=http://gateway:8080/mantle`), and no request can be read
 * as the other API's. The prefix is the gateway's own: it is never sent upstream.
 */
export const MANTLE_MOUNT = '/mantle'

const operation = operationsOf('bedrock-mantle', MANTLE_MOUNT)

/**
 * IAM: "Making inference requests" (https://docs.aws.amazon.com/bedrock/latest/userguide/inference.html) grants
 * inference "via the bedrock-mantle endpoint (Responses API, Chat Completions, Messages API)" with
 * `bedrock-mantle:CreateInference` (with GetProject, ListProjects, ListTagsForResources, which name no model).
 */
const INFERENCE_ACTION = 'bedrock-mantle:CreateInference'
const MESSAGES_PATH = '/anthropic/v1/messages'
const COUNT_TOKENS_PATH = MESSAGES_PATH + '/count_tokens'

/**
 * bedrock-mantle's inference operations (https://docs.aws.amazon.com/bedrock/latest/userguide/bedrock-mantle.html,
 * https://docs.aws.amazon.com/bedrock/latest/userguide/inference-chat-completions-mantle.html). Each names its model
 * in the JSON body's `model` and nowhere else. The Anthropic paths are also matched at the gateway's root, where
 * LiteLLM sends them when it is given `aws_bedrock_runtime_endpoint` (the runtime has no such paths, so nothing is
 * ambiguous there).
 */
export const MANTLE_OPERATIONS: Readonly<Record<MantleOperationName, OperationSpec>> = {
  MantleChatCompletions: operation('POST', '/v1/chat/completions', INFERENCE_ACTION,
    { identifiers: ['body.model'], streamsWhenBodySays: true, sse: 'openai' }),
  MantleOpenAIChatCompletions: operation('POST', '/openai/v1/chat/completions', INFERENCE_ACTION,
    { identifiers: ['body.model'], streamsWhenBodySays: true, sse: 'openai' }),
  MantleResponses: operation('POST', '/v1/responses', INFERENCE_ACTION,
    { identifiers: ['body.model'], streamsWhenBodySays: true, sse: 'openai' }),
  MantleOpenAIResponses: operation('POST', '/openai/v1/responses', INFERENCE_ACTION,
    { identifiers: ['body.model'], streamsWhenBodySays: true, sse: 'openai' }),
  MantleMessages: operation('POST', MESSAGES_PATH, INFERENCE_ACTION,
    { identifiers: ['body.model'], streamsWhenBodySays: true, sse: 'anthropic', alsoAt: [MESSAGES_PATH] }),
  // The count_tokens path: https://docs.aws.amazon.com/bedrock/latest/userguide/count-tokens.html ("Count tokens
  // using the bedrock-mantle endpoint"). Its IAM action is not confirmed by AWS documentation.
  MantleCountTokens: operation('POST', COUNT_TOKENS_PATH, 'bedrock-mantle:CountTokens',
    { identifiers: ['body.model'], alsoAt: [COUNT_TOKENS_PATH] })
}
