import { OPERATION_NAMES, type OperationName } from './operation-names.ts'
import type { IdentifierLocation } from './identifier-types.ts'
import { COUNT_TOKENS_MODEL_ID_MAX_LENGTH, MODEL_ID_MAX_LENGTH } from './model-id.ts'
import { LIST_ASYNC_INVOKES_QUERY, type QuerySchema } from './operation-query.ts'

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

function operation (method: HttpMethod, pathTemplate: string, iamAction: string, details: Partial<Omit<OperationSpec, 'method' | 'pathTemplate' | 'iamAction'>> = {}): OperationSpec {
  return { method, pathTemplate, iamAction, streamsResponse: false, identifiers: [], modelIdMaxLength: MODEL_ID_MAX_LENGTH, query: NO_QUERY, ...details }
}

/** Every bedrock-runtime operation (bedrock-runtime.md; botocore bedrock-runtime/2023-09-30). */
export const OPERATIONS: Readonly<Record<OperationName, OperationSpec>> = {
  InvokeModel: operation('POST', '/model/{modelId}/invoke', MODEL_ACTION, { identifiers: ['path.modelId', GUARDRAIL_HEADER] }),
  InvokeModelWithResponseStream: operation('POST', '/model/{modelId}/invoke-with-response-stream', STREAM_ACTION,
    { streamsResponse: true, identifiers: ['path.modelId', GUARDRAIL_HEADER] }),
  Converse: operation('POST', '/model/{modelId}/converse', MODEL_ACTION, { identifiers: ['path.modelId', CONVERSE_GUARDRAIL] }),
  ConverseStream: operation('POST', '/model/{modelId}/converse-stream', STREAM_ACTION,
    { streamsResponse: true, identifiers: ['path.modelId', CONVERSE_GUARDRAIL] }),
  // The IAM action name is not confirmed by AWS documentation (bedrock-runtime.md).
  CountTokens: operation('POST', '/model/{modelId}/count-tokens', 'bedrock:CountTokens',
    { identifiers: ['path.modelId'], modelIdMaxLength: COUNT_TOKENS_MODEL_ID_MAX_LENGTH }),
  InvokeModelWithBidirectionalStream: operation('POST', '/model/{modelId}/invoke-with-bidirectional-stream',
    'bedrock:InvokeModelWithBidirectionalStream', { streamsResponse: true, identifiers: ['path.modelId'] }),
  StartAsyncInvoke: operation('POST', '/async-invoke', MODEL_ACTION, { identifiers: ['body.modelId'] }),
  GetAsyncInvoke: operation('GET', '/async-invoke/{invocationArn}', 'bedrock:GetAsyncInvoke', { identifiers: ['path.invocationArn'] }),
  ListAsyncInvokes: operation('GET', '/async-invoke', 'bedrock:ListAsyncInvokes', { query: LIST_ASYNC_INVOKES_QUERY }),
  ApplyGuardrail: operation('POST', '/guardrail/{guardrailIdentifier}/version/{guardrailVersion}/apply', 'bedrock:ApplyGuardrail',
    { identifiers: ['path.guardrailIdentifier'] }),
  // Names no model or resource. The IAM action name is not confirmed by AWS documentation (bedrock-runtime.md).
  InvokeGuardrailChecks: operation('POST', '/guardrail-checks/invoke', 'bedrock:InvokeGuardrailChecks')
}

/** IAM action per operation; the IAM policy generator adds these for operations beyond the default. */
export const IAM_ACTION = Object.freeze(Object.fromEntries(
  OPERATION_NAMES.map((name) => [name, OPERATIONS[name].iamAction])
)) as Readonly<Record<OperationName, string>>
