import type { BedrockApi } from './apis.ts'
import type { IdentifierLocation } from './identifier-types.ts'
import { MODEL_ID_MAX_LENGTH } from './model-id.ts'
import type { QuerySchema } from './operation-query.ts'

export type HttpMethod = 'GET' | 'POST'

export interface OperationSpec {
  /** The Bedrock API the operation belongs to: it picks the upstream host and the signing name. */
  readonly api: BedrockApi
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

type OperationDetails = Partial<Omit<OperationSpec, 'api' | 'method' | 'pathTemplate' | 'iamAction'>>

/** A row builder for one API's table: what every row of that API shares is said once. */
export function operationsOf (api: BedrockApi): (method: HttpMethod, pathTemplate: string, iamAction: string, details?: OperationDetails) => OperationSpec {
  return (method, pathTemplate, iamAction, details = {}) =>
    ({ api, method, pathTemplate, iamAction, streamsResponse: false, identifiers: [], modelIdMaxLength: MODEL_ID_MAX_LENGTH, query: NO_QUERY, ...details })
}
