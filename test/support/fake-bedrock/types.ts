import type { IncomingHttpHeaders } from 'node:http'
import type { ErrorName } from './constants.ts'
import type { SignatureVerdict } from './sigv4/verify-signature.ts'

/** The `:exception-type` values Bedrock sends in a `:message-type: exception` frame after a 200. */
export type StreamExceptionType =
  | 'internalServerException'
  | 'modelStreamErrorException'
  | 'validationException'
  | 'throttlingException'
  | 'modelTimeoutException'
  | 'serviceUnavailableException'

/**
 * What the fake does instead of (or to) its normal answer. Faults apply only to requests whose signature verified,
 * as AWS authenticates before anything else.
 * - `slowHeaders`: wait `delayMs` before the status line, then answer normally.
 * - `error`: a Bedrock-shaped error (status from the service model unless given), e.g. ThrottlingException 429.
 * - `reset`: destroy the TCP connection. Without `afterFrames`, before any response byte; with it, after that many
 *   event-stream frames (for a JSON answer: after the headers and half the body).
 * - `hang`: never answer (no `afterFrames`), or stall forever after that many frames / half the JSON body.
 * - `streamException`: after `afterFrames` frames, a `:message-type: exception` frame, then the stream ends. On a
 *   non-streaming operation, the same exception as a plain error response.
 * - `largeBody`: the reply text is `bytes` characters long (see `largeReplyText`).
 */
export type Fault =
  | { readonly kind: 'slowHeaders'; readonly delayMs: number }
  | { readonly kind: 'error'; readonly errorType: ErrorName; readonly status?: number; readonly message?: string }
  | { readonly kind: 'reset'; readonly afterFrames?: number }
  | { readonly kind: 'hang'; readonly afterFrames?: number }
  | {
    readonly kind: 'streamException'
    readonly afterFrames: number
    readonly exceptionType?: StreamExceptionType
    readonly message?: string
  }
  | { readonly kind: 'largeBody'; readonly bytes: number }

export interface RecordedResponse {
  status: number
  /** Epoch ms when the status line and headers were written. */
  respondedAt: number
  /** The `x-amzn-ErrorType` sent, for error answers. */
  errorType?: string
  /** The reply text the fake generated, for operations that produce text. */
  text?: string
  /** Event-stream frames written, exception frames included. */
  framesSent: number
  /** When the last byte was handed to the socket (epoch ms); unset while streaming, or when the answer was cut. */
  completedAt?: number
}

/** One request as the fake received it. Filled in as the request progresses; read it, never write it. */
export interface MutableRecordedRequest {
  readonly index: number
  readonly requestId: string
  readonly method: string
  /** The request target exactly as received: path and query, with the client's percent-encoding. */
  readonly path: string
  /** Node's lower-cased header object. */
  readonly headers: IncomingHttpHeaders
  readonly rawHeaders: readonly string[]
  /** What has arrived of the body (all of it once `bodyComplete`). */
  readonly body: Buffer
  bodyComplete: boolean
  /** Set once the body has arrived. */
  signature?: SignatureVerdict
  /** The region of the SigV4 credential scope, when it could be read. */
  region?: string
  /** The operation the method and path name, when the fake knows it. */
  operation?: string
  fault?: Fault
  response?: RecordedResponse
  /** Epoch ms when the request line arrived. */
  readonly receivedAt: number
  /** True when the client closed the connection before the fake finished answering. */
  closedEarly: boolean
  /** Epoch ms when the connection closed early. */
  closedAt?: number
  /** True when the fake itself destroyed the connection (`reset` fault). */
  resetByFake: boolean
  /** Epoch ms of each event-stream frame handed to the socket. */
  readonly framesSentAt: number[]
}

export type RecordedRequest = Readonly<MutableRecordedRequest>

/** What both fakes (runtime and control plane) offer a test. */
export interface FakeHttpService {
  /** `http://127.0.0.1:PORT` */
  readonly url: string
  readonly port: number
  /** Every request received, in arrival order, recorded as soon as its request line arrives. */
  readonly requests: readonly RecordedRequest[]
  /** A fault for every request from now on; `undefined` clears it. */
  setFault (fault: Fault | undefined): void
  /** A fault for the next request only (queued: several calls apply to successive requests); beats `setFault`. */
  nextFault (fault: Fault): void
  /** Forget recorded requests and faults, and return to the options given at start. */
  reset (): void
  /** Resolves with the first `count` requests once that many have arrived with their whole body. */
  waitForRequests (count: number, timeoutMs?: number): Promise<readonly RecordedRequest[]>
  /** Resolves once request `index` has been answered completely. */
  waitForResponse (index: number, timeoutMs?: number): Promise<RecordedRequest>
  /** Resolves once the client has closed request `index`'s connection before the answer was complete. */
  waitForClose (index: number, timeoutMs?: number): Promise<RecordedRequest>
  close (): Promise<void>
}
