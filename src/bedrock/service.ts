import type { OperationName } from './operation-names.ts'
import { OPERATIONS } from './operations.ts'
import {
  apiOfRoute,
  type IncomingBedrockRequest,
  namesIdentifiersInBody,
  type RequestRoute,
  routeRequest,
  understandRequest,
  understandRoutedRequest,
  type Understanding
} from './request.ts'
import type { RequestHeaders } from './headers.ts'
import { BEDROCK_API_SPECS } from './apis.ts'

/**
 * What the gateway's handler needs to know about the Bedrock API it fronts, and nothing more: the handler asks these
 * questions and never looks into an operation table itself.
 */
export interface BedrockService {
  /** Which operation a raw request is, every identifier it names, and what to send upstream; or why it is refused. */
  understand (request: IncomingBedrockRequest): Understanding
  /**
   * What method and target (path and query as received, without a region prefix) alone say: worked out once per
   * request, before authentication, then completed by `understandRouted` with the headers and body.
   */
  route (method: string, target: string): RequestRoute
  /** `understand` for a request already routed; `body` is called only if the operation reads its body. */
  understandRouted (route: RequestRoute, headers: RequestHeaders, body: () => Uint8Array): Understanding
  /**
   * Whether the operation always answers with an event stream, which counts against `limits.maxConcurrentStreams`.
   * One whose body asks for a stream says so in its understanding (`streams`).
   */
  streamsResponse (operation: OperationName): boolean
  /**
   * Whether the operation names identifiers in its body. When it does not, method, path, query and headers say
   * everything about it, and it can be judged before its body is read.
   */
  namesIdentifiersInBody (operation: OperationName): boolean
  /**
   * The SigV4 signing names a caller may sign a routed request for: those of the API its path belongs to; Bedrock's
   * own when it names no operation (it is refused later anyway).
   */
  signingNamesFor (route: RequestRoute): readonly string[]
}

/** Every Bedrock API the gateway fronts: their operation tables (operations.ts) read by the request layer (request.ts). */
export const BEDROCK_SERVICE: BedrockService = {
  understand: understandRequest,
  route: routeRequest,
  understandRouted: understandRoutedRequest,
  streamsResponse: (operation) => OPERATIONS[operation].streamsResponse,
  namesIdentifiersInBody,
  signingNamesFor: (route) => BEDROCK_API_SPECS[apiOfRoute(route) ?? 'bedrock-runtime'].acceptedSigningNames
}
