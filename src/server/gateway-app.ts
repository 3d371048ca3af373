import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import { BedrockError, internalError, malformedRequestError } from '../core/index.ts'
import { newRequestId } from './error-replies.ts'
import { DualProtocolServer, type RequestHandler } from './dual-protocol-server.ts'
import { shedUnderEventLoopPressure } from './event-loop-shedding.ts'
import { handleBedrockRequest, type GatewayDeps } from './handle-bedrock-request.ts'
import { handleBidirectionalStream, isBidirectionalStreamTarget } from './handle-bidirectional-stream.ts'
import { MAX_HEADER_BYTES } from './header-limits.ts'
import { refusalOutcome, refuseOutsideHandler } from './refuse-outside-handler.ts'
import { screenBeforeBody, screenedCallerOf } from './screen-before-body.ts'
import { BodyBytesInFlight, boundBodyBytesInFlight } from './body-bytes-in-flight.ts'
import { receiveBody } from './received-body.ts'

/** Model ids are path labels of up to 2,048 characters, encoded up to three bytes each. */
const MAX_PATH_PARAM_LENGTH = 8192
const FIRST_BYTES_TIMEOUT_MS = 10_000
const KEEP_ALIVE_TIMEOUT_MS = 65_000
const HTTP2_SESSION_IDLE_MS = 300_000

/** Fastify's own refusals, answered in Bedrock's shape so every client reports them properly; undefined for its own failures. */
function frameworkRefusal (error: FastifyError): BedrockError | undefined {
  if (error.code === 'FST_ERR_BAD_URL') {
    return malformedRequestError('the request path is not valid percent-encoded UTF-8')
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return malformedRequestError(error.message, error.statusCode)
  }
  return undefined
}

/**
 * Bidirectional streams go around Fastify: it reads a whole body before its handler runs, and theirs lasts as long
 * as the session. Their handler answers everything itself, refusals included.
 */
function besideBidirectionalStreams (handler: RequestHandler, deps: GatewayDeps): RequestHandler {
  return (request, response) => {
    if (!isBidirectionalStreamTarget(request.method, request.url)) {
      handler(request, response)
      return
    }
    // The handler answers and reports its own failures; this only keeps one it could not catch from ending the process.
    handleBidirectionalStream(request, response, deps).catch((error: unknown) => {
      deps.onInternalError({ requestId: newRequestId(), stage: 'framework', error })
      response.destroy()
    })
  }
}

/**
 * The Bedrock-facing app: every method and path goes to one handler, because what a request is (operation, model,
 * region) is decided by the request layer on the raw target, never by a router that decodes paths its own way.
 */
export function buildGatewayApp (deps: GatewayDeps): FastifyInstance {
  const { limits } = deps.state().config
  /**
   * A refusal is answered as it is; anything else is the gateway's own failure, reported before it is answered. Its
   * audit line names the caller when the headers were screened already (a body refused for its size, or for the
   * body bytes in flight, is the caller's).
   */
  const answerFailure = (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const requestId = newRequestId()
    const refusal = error instanceof BedrockError ? error : frameworkRefusal(error)
    if (refusal === undefined) deps.onInternalError({ requestId, stage: 'framework', error })
    refuseOutsideHandler(reply, deps, refusal ?? internalError(error), { clientName: screenedCallerOf(request) }, requestId, 'framework')
  }
  const app = Fastify({
    logger: false,
    routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH, ignoreDuplicateSlashes: false, ignoreTrailingSlash: false },
    serverFactory: (handler) => new DualProtocolServer(besideBidirectionalStreams(handler as RequestHandler, deps), {
      firstBytesTimeoutMs: FIRST_BYTES_TIMEOUT_MS,
      keepAliveTimeoutMs: KEEP_ALIVE_TIMEOUT_MS,
      requestTimeoutMs: limits.requestTimeoutMs,
      headersTimeoutMs: limits.requestTimeoutMs,
      http2SessionIdleMs: HTTP2_SESSION_IDLE_MS,
      maxHeaderBytes: MAX_HEADER_BYTES,
      tls: deps.state().config.listen.tls,
      onRawRefusal: ({ error, requestId }, startedAt) => deps.onOutcome(refusalOutcome(error, requestId, startedAt))
    }) as never,
    frameworkErrors: (error, request, reply) => answerFailure(error, request, reply),
    // During a drain the handler answers in Bedrock's shape (ServiceUnavailableException), not Fastify's own 503.
    return503OnClosing: false
  })
  shedUnderEventLoopPressure(app, deps)
  screenBeforeBody(app, deps)
  boundBodyBytesInFlight(app, deps, new BodyBytesInFlight())
  // The gateway hashes and forwards the body exactly as received, whatever its content type says.
  app.removeAllContentTypeParsers()
  const { maxBodyBytes } = limits
  app.addContentTypeParser('*', (request, payload, done) => {
    receiveBody(payload, Number(request.headers['content-length']), maxBodyBytes, done)
  })
  // Only what fails before the handler runs lands here: the handler answers its own errors, with its request id.
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => answerFailure(error, request, reply))
  app.all('*', (request, reply) => handleBedrockRequest(request, reply, deps))
  // Methods outside Fastify's routable set (PROPFIND, PURGE, LOCK ...) reach the same handler, which refuses them as
  // Bedrock would (authentication first, then an unknown operation) instead of Fastify's plain 404.
  app.setNotFoundHandler((request, reply) => handleBedrockRequest(request, reply, deps))
  return app
}
