import type { OperationName } from './operation-names.ts'
import { OPERATIONS } from './operations.ts'
import { type IncomingBedrockRequest, namesIdentifiersInBody, understandRequest, type Understanding } from './request.ts'

/**
 * What the gateway's handler needs to know about the Bedrock API it fronts, and nothing more: the handler asks these
 * questions and never looks into an operation table itself.
 */
export interface BedrockService {
  /** Which operation a raw request is, every identifier it names, and what to send upstream; or why it is refused. */
  understand (request: IncomingBedrockRequest): Understanding
  /** Whether the operation answers with an event stream, which counts against `limits.maxConcurrentStreams`. */
  streamsResponse (operation: OperationName): boolean
  /**
   * Whether the operation names identifiers in its body. When it does not, method, path, query and headers say
   * everything about it, and it can be judged before its body is read.
   */
  namesIdentifiersInBody (operation: OperationName): boolean
}

/** Every Bedrock API the gateway fronts: their operation tables (operations.ts) read by the request layer (request.ts). */
export const BEDROCK_SERVICE: BedrockService = {
  understand: understandRequest,
  streamsResponse: (operation) => OPERATIONS[operation].streamsResponse,
  namesIdentifiersInBody
}
