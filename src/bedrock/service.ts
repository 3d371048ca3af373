import type { OperationName } from './operation-names.ts'
import { OPERATIONS } from './operations.ts'
import { apiOfTarget, type IncomingBedrockRequest, namesIdentifiersInBody, understandRequest, type Understanding } from './request.ts'
import { BEDROCK_API_SPECS } from './apis.ts'

/**
 * What the gateway's handler needs to know about the Bedrock API it fronts, and nothing more: the handler asks these
 * questions and never looks into an operation table itself.
 */
export interface BedrockService {
  /** Which operation a raw request is, every identifier it names, and what to send upstream; or why it is refused. */
  understand (request: IncomingBedrockRequest): Understanding
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
   * The SigV4 signing names a caller may sign a request to this path (without its region prefix) for: those of the
   * API it belongs to; Bedrock's own when it names no operation (it is refused later anyway).
   */
  signingNamesFor (method: string, target: string): readonly string[]
}

/** Every Bedrock API the gateway fronts: their operation tables (operations.ts) read by the request layer (request.ts). */
export const BEDROCK_SERVICE: BedrockService = {
  understand: understandRequest,
  streamsResponse: (operation) => OPERATIONS[operation].streamsResponse,
  namesIdentifiersInBody,
  signingNamesFor: (method, target) => BEDROCK_API_SPECS[apiOfTarget(method, target) ?? 'bedrock-runtime'].acceptedSigningNames
}
