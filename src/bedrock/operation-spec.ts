import type { BedrockApi } from './apis.ts'
import type { IdentifierLocation } from './identifier-types.ts'
import { MODEL_ID_MAX_LENGTH } from './model-id.ts'
import type { QuerySchema } from './operation-query.ts'

export type HttpMethod = 'GET' | 'POST'

/**
 * How a Server-Sent Events answer says it failed, in the shape its clients read: OpenAI's SDKs raise on a
 * `data: {"error": {...}}` event; Anthropic's on `event: error` with `{"type": "error", "error": {...}}`.
 */
export type SseDialect = 'openai' | 'anthropic'

export interface OperationSpec {
  /** The Bedrock API the operation belongs to: it picks the upstream host and the signing name. */
  readonly api: BedrockApi
  readonly method: HttpMethod
  /**
   * The path the gateway matches: the restJson1 request URI from the service model, behind the API's mount point on
   * the gateway (`/mantle` for bedrock-mantle); each `{label}` is exactly one path segment.
   */
  readonly pathTemplate: string
  /** The path sent upstream, with the same labels: `pathTemplate` without the gateway's mount point. */
  readonly upstreamPathTemplate: string
  /** Further paths the gateway matches for this operation (literal, no labels), sent upstream as `upstreamPathTemplate`. */
  readonly alsoAt: readonly string[]
  /** The action IAM authorizes; several operations share one (Converse is authorized as InvokeModel). */
  readonly iamAction: string
  /**
   * Every action a call of this operation may be authorized as, `iamAction` first: one whose body picks whether it
   * streams needs the streaming action too.
   */
  readonly iamActions: readonly string[]
  /** The response body is an event stream (`application/vnd.amazon.eventstream`). */
  readonly streamsResponse: boolean
  /**
   * The response streams (Server-Sent Events) when the JSON body's top-level `stream` is `true`; the member is then
   * read as strictly as an identifier (a boolean or null, named once).
   */
  readonly streamsWhenBodySays: boolean
  /** The error-event shape of this operation's Server-Sent Events; absent when it never answers with them. */
  readonly sse?: SseDialect
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

type OperationDetails = Partial<Omit<OperationSpec, 'api' | 'method' | 'pathTemplate' | 'upstreamPathTemplate' | 'iamAction'>>

/**
 * A row builder for one API's table: what every row of that API shares is said once. `mount` is where the API sits on
 * the gateway (`/mantle`); a row's template is the upstream path, and the gateway matches it behind the mount.
 */
export function operationsOf (api: BedrockApi, mount = ''): (method: HttpMethod, pathTemplate: string, iamAction: string, details?: OperationDetails) => OperationSpec {
  return (method, pathTemplate, iamAction, details = {}) => ({
    api,
    method,
    pathTemplate: mount + pathTemplate,
    upstreamPathTemplate: pathTemplate,
    alsoAt: [],
    iamAction,
    iamActions: [iamAction],
    streamsResponse: false,
    streamsWhenBodySays: false,
    identifiers: [],
    modelIdMaxLength: MODEL_ID_MAX_LENGTH,
    query: NO_QUERY,
    ...details
  })
}
