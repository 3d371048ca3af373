import { OPERATION_NAMES, type OperationName } from './operation-names.ts'
import type { IdentifierLocation } from './identifier-types.ts'
import { COUNT_TOKENS_MODEL_ID_MAX_LENGTH, MODEL_ID_MAX_LENGTH } from './model-id.ts'
import { LIST_ASYNC_INVOKES_QUERY } from './list-async-invokes-query.ts'
import type { QuerySchema } from './canonical-query.ts'

export type HttpMethod = 'GET' | 'POST'

export interface OperationSpec {
  readonly method: HttpMethod
  /** restJson1 request URI from the service model; each `{label}` is exactly one path segment. */
  readonly pathTemplate: string
  /** The action IAM authorizes; several operations share one (Converse is authorized as InvokeModel). */
  readonly iamAction: string
  /** The response body is an event stream (`application/vnd.amazon.eventstream`). */
  readonly streamsResponse: boolean
  /**
   * Every place this operation can name a model or resource, in the order they are read. Path labels and body
   * fields are required where the service model requires them; headers and guardrail configs are optional.
   */
  readonly identifiers: readonly IdentifierLocation[]
  /** Longest model id the operation accepts (service model). */
  readonly modelIdMaxLength: number
  /** Query parameters the operation defines; none means any query parameter is refused. */
  readonly query: QuerySchema
}

const NO_QUERY: QuerySchema = {}
const MODEL_ACTION = 'bedrock:InvokeModel'
const STREAM_ACTION = 'bedrock:InvokeModelWithResponseStream'
const GUARDRAIL_HEADER: IdentifierLocation = 'header.x-amzn-bedrock-guardrailidentifier'
const CONVERSE_GUARDRAIL: IdentifierLocation = 'body.guardrailConfig.guardrailIdentifier'

function postOperation (path: string, iamAction: string, streamsResponse: boolean, identifiers: readonly IdentifierLocation[]): OperationSpec {
  return { method: 'POST', pathTemplate: path, iamAction, streamsResponse, identifiers, modelIdMaxLength: MODEL_ID_MAX_LENGTH, query: NO_QUERY }
}

/** Every bedrock-runtime operation (bedrock-runtime.md; botocore bedrock-runtime/2023-09-30). */
export const OPERATIONS: Readonly<Record<OperationName, OperationSpec>> = {
  InvokeModel: postOperation('/model/{modelId}/invoke', MODEL_ACTION, false, ['path.modelId', GUARDRAIL_HEADER]),
  InvokeModelWithResponseStream:
    postOperation('/model/{modelId}/invoke-with-response-stream', STREAM_ACTION, true, ['path.modelId', GUARDRAIL_HEADER]),
  Converse: postOperation('/model/{modelId}/converse', MODEL_ACTION, false, ['path.modelId', CONVERSE_GUARDRAIL]),
  ConverseStream: postOperation('/model/{modelId}/converse-stream', STREAM_ACTION, true, ['path.modelId', CONVERSE_GUARDRAIL]),
  CountTokens: {
    ...postOperation('/model/{modelId}/count-tokens', 'bedrock:CountTokens', false, ['path.modelId']),
    modelIdMaxLength: COUNT_TOKENS_MODEL_ID_MAX_LENGTH
  },
  InvokeModelWithBidirectionalStream:
    postOperation('/model/{modelId}/invoke-with-bidirectional-stream', 'bedrock:InvokeModelWithBidirectionalStream', true, ['path.modelId']),
  StartAsyncInvoke: postOperation('/async-invoke', MODEL_ACTION, false, ['body.modelId']),
  GetAsyncInvoke: {
    method: 'GET',
    pathTemplate: '/async-invoke/{invocationArn}',
    iamAction: 'bedrock:GetAsyncInvoke',
    streamsResponse: false,
    identifiers: ['path.invocationArn'],
    modelIdMaxLength: MODEL_ID_MAX_LENGTH,
    query: NO_QUERY
  },
  ListAsyncInvokes: {
    method: 'GET',
    pathTemplate: '/async-invoke',
    iamAction: 'bedrock:ListAsyncInvokes',
    streamsResponse: false,
    identifiers: [],
    modelIdMaxLength: MODEL_ID_MAX_LENGTH,
    query: LIST_ASYNC_INVOKES_QUERY
  },
  ApplyGuardrail: postOperation('/guardrail/{guardrailIdentifier}/version/{guardrailVersion}/apply', 'bedrock:ApplyGuardrail',
    false, ['path.guardrailIdentifier']),
  // The IAM action is not confirmed by AWS documentation (bedrock-runtime.md); it follows the operation's name.
  InvokeGuardrailChecks: postOperation('/guardrail-checks/invoke', 'bedrock:InvokeGuardrailChecks', false, [])
}

/** IAM action per operation; the IAM policy generator adds these for operations beyond the default. */
export const IAM_ACTION = Object.freeze(Object.fromEntries(
  OPERATION_NAMES.map((name) => [name, OPERATIONS[name].iamAction])
)) as Readonly<Record<OperationName, string>>
