import type { RuntimeOperationName } from './operation-names.ts'
import type { IdentifierLocation } from './identifier-types.ts'
import { COUNT_TOKENS_MODEL_ID_MAX_LENGTH } from './model-id.ts'
import { LIST_ASYNC_INVOKES_QUERY } from './operation-query.ts'
import { type OperationSpec, operationsOf } from './operation-spec.ts'

const operation = operationsOf('bedrock-runtime')
const MODEL_ACTION = 'bedrock:InvokeModel'
const STREAM_ACTION = 'bedrock:InvokeModelWithResponseStream'
const GUARDRAIL_HEADER: IdentifierLocation = 'header.x-amzn-bedrock-guardrailidentifier'
const CONVERSE_GUARDRAIL: IdentifierLocation = 'body.guardrailConfig.guardrailIdentifier'

/** Every bedrock-runtime operation (botocore bedrock-runtime/2023-09-30). */
export const RUNTIME_OPERATIONS: Readonly<Record<RuntimeOperationName, OperationSpec>> = {
  InvokeModel: operation('POST', '/model/{modelId}/invoke', MODEL_ACTION, { identifiers: ['path.modelId', GUARDRAIL_HEADER] }),
  InvokeModelWithResponseStream: operation('POST', '/model/{modelId}/invoke-with-response-stream', STREAM_ACTION,
    { streamsResponse: true, identifiers: ['path.modelId', GUARDRAIL_HEADER] }),
  Converse: operation('POST', '/model/{modelId}/converse', MODEL_ACTION, { identifiers: ['path.modelId', CONVERSE_GUARDRAIL] }),
  ConverseStream: operation('POST', '/model/{modelId}/converse-stream', STREAM_ACTION,
    { streamsResponse: true, identifiers: ['path.modelId', CONVERSE_GUARDRAIL] }),
  // The IAM action name is not confirmed by AWS documentation.
  CountTokens: operation('POST', '/model/{modelId}/count-tokens', 'bedrock:CountTokens',
    { identifiers: ['path.modelId'], modelIdMaxLength: COUNT_TOKENS_MODEL_ID_MAX_LENGTH }),
  InvokeModelWithBidirectionalStream: operation('POST', '/model/{modelId}/invoke-with-bidirectional-stream',
    'bedrock:InvokeModelWithBidirectionalStream', { streamsResponse: true, identifiers: ['path.modelId'] }),
  StartAsyncInvoke: operation('POST', '/async-invoke', MODEL_ACTION, { identifiers: ['body.modelId'] }),
  GetAsyncInvoke: operation('GET', '/async-invoke/{invocationArn}', 'bedrock:GetAsyncInvoke', { identifiers: ['path.invocationArn'] }),
  ListAsyncInvokes: operation('GET', '/async-invoke', 'bedrock:ListAsyncInvokes', { query: LIST_ASYNC_INVOKES_QUERY }),
  ApplyGuardrail: operation('POST', '/guardrail/{guardrailIdentifier}/version/{guardrailVersion}/apply', 'bedrock:ApplyGuardrail',
    { identifiers: ['path.guardrailIdentifier'] }),
  // Names no model or resource. The IAM action name is not confirmed by AWS documentation.
  InvokeGuardrailChecks: operation('POST', '/guardrail-checks/invoke', 'bedrock:InvokeGuardrailChecks')
}
