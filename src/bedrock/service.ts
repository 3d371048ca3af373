import type { OperationName } from './operation-names.ts'
import { OPERATIONS } from './operations.ts'
import { understandRequest, type IncomingBedrockRequest, type Understanding } from './request.ts'

/** Bedrock's SigV4 signing name: callers sign for it, and the gateway signs with it for the runtime and the control plane alike. */
export const BEDROCK_SIGNING_SERVICE = 'bedrock'

/**
 * What the gateway's handler needs to know about the Bedrock API it fronts, and nothing more: the handler asks these
 * questions and never looks into an operation table itself.
 */
export interface BedrockService {
  /** Which operation a raw request is, every identifier it names, and what to send upstream; or why it is refused. */
  understand (request: IncomingBedrockRequest): Understanding
  /** Whether the operation answers with an event stream, which counts against `limits.maxConcurrentStreams`. */
  streamsResponse (operation: OperationName): boolean
}

/** bedrock-runtime: its operation table (operations.ts) read by the request layer (request.ts). */
export const BEDROCK_RUNTIME: BedrockService = {
  understand: understandRequest,
  streamsResponse: (operation) => OPERATIONS[operation].streamsResponse
}
