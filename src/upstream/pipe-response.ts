import type { OutgoingHttpHeaders, ServerResponse } from 'node:http'
import { Http2ServerResponse, constants as http2 } from 'node:http2'
import type { Writable } from 'node:stream'
import { performance } from 'node:perf_hooks'
import {
  encodeExceptionFrame,
  EVENT_STREAM_CONTENT_TYPE,
  EventStreamFrameGate,
  EventStreamFrameTracker,
  INTERNAL_SERVER_EXCEPTION_EVENT,
  MAXIMUM_USAGE_FRAME_BYTES,
  mediaTypeOf,
  SERVICE_UNAVAILABLE_EXCEPTION_EVENT,
  encodeSseError,
  SSE_CONTENT_TYPE,
  type SseDialect,
  SseEventGate,
  type SseFailure,
  SseUsageObserver,
  type TokenUsage
} from '../bedrock/index.ts'
import type { UpstreamResponse } from './forwarder.ts'
import { ABORT_EVENT, type AbortNotice } from './abort-notice.ts'
import { BedrockError, internalError, REQUEST_ID_HEADER } from '../core/index.ts'
import { clientResponseHeaders } from './header-policy.ts'
import { STREAM_CORRUPT_MESSAGE, STREAM_CUT_SHORT_MESSAGE, failureMidStreamMessage } from './upstream-failure.ts'
import { usageReaderFor } from './usage-reader.ts'

export type ClientResponse = ServerResponse | Http2ServerResponse

/**
 * - `complete`: Bedrock's whole body was passed on.
 * - `client-gone`: the caller left first; the upstream request was aborted at once (no more tokens are spent).
 * - `upstream-failed`: Bedrock's side failed after the status was sent; see `exceptionEventSent`.
 * - `gateway-shutdown`: the shutdown grace period ran out first; the upstream request was aborted.
 * - `ended-by-gateway`: the gateway ended the stream itself (see `PipeOptions.fault`); the upstream request was aborted.
 */
export type PipeEnd = 'complete' | 'client-gone' | 'upstream-failed' | 'gateway-shutdown' | 'ended-by-gateway'

export interface PipeResult {
  /** Bedrock's status, which the caller received. */
  readonly status: number
  /** Bedrock's own x-amzn-RequestId, which the caller received (and AWS support asks for). */
  readonly bedrockRequestId: string | undefined
  readonly end: PipeEnd
  /** Body bytes received from Bedrock. */
  readonly upstreamBytes: number
  /** Body bytes written to the caller, an exception event included. */
  readonly clientBytes: number
  /** The stream was ended with an exception event (rather than cut off mid-frame). */
  readonly exceptionEventSent: boolean
  /** Milliseconds from sending the request upstream to Bedrock's first body byte (time to first byte); unset if none came. */
  readonly firstByteAfterMs?: number
  /** Token usage as Bedrock reported it in this response, when it did. */
  readonly usage?: TokenUsage
}

export interface PipeOptions {
  /** The gateway's id for the request, quoted in an exception event so a failure can be found in the logs. */
  readonly requestId: string
  /**
   * Fires when the gateway's shutdown grace period is over: the upstream request is aborted, and an event stream
   * still running ends with a `serviceUnavailableException` event (which clients retry) instead of being cut off.
   */
  readonly shutdown?: AbortNotice
  /**
   * The operation's Server-Sent Events dialect. A `text/event-stream` answer is then passed on event by event, and
   * one that fails ends with an error event in that dialect instead of being cut off.
   */
  readonly sse?: SseDialect
  /**
   * Fires with a BedrockError when the gateway ends the stream itself (an event from the caller that failed its
   * checks, a time limit): an event stream ends with an exception event of that error's type, any other body is
   * broken off, and the upstream request is aborted.
   */
  readonly fault?: AbortNotice
}

const CONTENT_TYPE_HEADER = 'content-type'
const CONTENT_LENGTH_HEADER = 'content-length'
const SUCCESS = 200
const SHUTDOWN_MESSAGE = 'The gateway is shutting down and ended this stream; retry the request.'

function isEventStream (contentType: string | string[] | undefined): boolean {
  return typeof contentType === 'string' && mediaTypeOf(contentType) === EVENT_STREAM_CONTENT_TYPE
}

function isServerSentEvents (contentType: string | string[] | undefined): boolean {
  return typeof contentType === 'string' && mediaTypeOf(contentType) === SSE_CONTENT_TYPE
}

/** The error event's kind for each way a stream ends early. */
const SSE_FAILURE: Readonly<Record<string, SseFailure>> = {
  [INTERNAL_SERVER_EXCEPTION_EVENT]: 'failed',
  [SERVICE_UNAVAILABLE_EXCEPTION_EVENT]: 'unavailable'
}

function isClosed (res: ClientResponse): boolean {
  return res instanceof Http2ServerResponse ? res.stream.destroyed : res.destroyed
}

/** Ends the response so that the caller sees an error, never a short body that looks complete. */
function breakOff (res: ClientResponse): void {
  if (res instanceof Http2ServerResponse) res.stream.close(http2.NGHTTP2_INTERNAL_ERROR)
  else res.destroy()
}

function ignore (): void {}

/**
 * Sends Bedrock's status, headers and body to the caller as the bytes arrive, never buffering the body, pausing
 * Bedrock whenever the caller is slower. If the caller disconnects, the upstream body is destroyed, which aborts the
 * upstream request and closes its connection.
 *
 * When an event stream fails after its 200, the caller must learn it from the stream itself. Its frames are passed on
 * only whole and checked (see EventStreamFrameGate), so whatever goes wrong (a break, a clean end inside a frame, a
 * bad CRC or an impossible length, a shutdown) the stream ends with a well-formed exception event after the last good
 * frame: `internalServerException`, or `serviceUnavailableException` for a shutdown. Any other body that fails midway
 * is broken off (connection reset on HTTP/1.1, RST_STREAM INTERNAL_ERROR on HTTP/2), which clients report as an error.
 */
export function pipeResponse (upstream: UpstreamResponse, res: ClientResponse, options: PipeOptions): Promise<PipeResult> {
  const headers = clientResponseHeaders(upstream.headers)
  const eventStream = isEventStream(headers[CONTENT_TYPE_HEADER])
  const sseDialect = options.sse !== undefined && isServerSentEvents(headers[CONTENT_TYPE_HEADER]) ? options.sse : undefined
  // An event stream's length is never fixed in advance, so that an exception event can always be appended.
  if (eventStream || sseDialect !== undefined) delete headers[CONTENT_LENGTH_HEADER]
  const frames = eventStream ? new EventStreamFrameTracker(MAXIMUM_USAGE_FRAME_BYTES) : undefined
  const gate = eventStream ? new EventStreamFrameGate() : undefined
  const sseGate = sseDialect === undefined ? undefined : new SseEventGate()
  const { body, status } = upstream
  const usageReader = usageReaderFor(status, upstream.headers, frames)
  const sseUsage = sseGate !== undefined && status === SUCCESS ? new SseUsageObserver() : undefined
  const requestIdHeader = upstream.headers[REQUEST_ID_HEADER]
  const bedrockRequestId = typeof requestIdHeader === 'string' ? requestIdHeader : undefined
  let upstreamBytes = 0
  let clientBytes = 0
  let firstByteAfterMs: number | undefined
  // Errors after the end is settled (an abort racing the caller's disconnect) are expected and already accounted for.
  body.on('error', ignore)
  if (isClosed(res)) {
    body.destroy()
    return Promise.resolve({ status, bedrockRequestId, end: 'client-gone', upstreamBytes, clientBytes, exceptionEventSent: false })
  }
  try {
    // Both response kinds take (status, headers); their other writeHead overloads do not unify.
    const head: { writeHead: (statusCode: number, headers: OutgoingHttpHeaders) => unknown } = res
    head.writeHead(status, headers)
  } catch (error) {
    body.destroy()
    return Promise.reject(error)
  }

  // Both response kinds are Writables; their own overloads of write/end do not unify.
  const out: Writable = res
  return new Promise((resolve) => {
    let settled = false
    const finish = (end: PipeEnd, exceptionEventSent = false): void => {
      if (settled) return
      settled = true
      resolve({ status, bedrockRequestId, end, upstreamBytes, clientBytes, exceptionEventSent, firstByteAfterMs, usage: sseUsage?.usage() ?? usageReader?.usage() })
    }
    const endEarly = (end: PipeEnd, exceptionType: string, message: string): void => {
      if (sseGate !== undefined && sseDialect !== undefined && sseGate.canAppendEvent) {
        const event = encodeSseError(sseDialect, SSE_FAILURE[exceptionType] ?? 'failed', `${message} Gateway request id: ${options.requestId}.`)
        clientBytes += event.length
        out.end(event)
        finish(end, true)
        return
      }
      if (gate === undefined) {
        breakOff(res)
        finish(end)
        return
      }
      const frame = encodeExceptionFrame(exceptionType, `${message} Gateway request id: ${options.requestId}.`)
      clientBytes += frame.length
      out.end(frame)
      finish(end, true)
    }

    body.on('data', (chunk: Buffer) => {
      firstByteAfterMs ??= performance.now() - upstream.sentAt
      upstreamBytes += chunk.length
      frames?.track(chunk)
      usageReader?.observe(chunk)
      const relayed = gate !== undefined ? gate.admit(chunk) : sseGate !== undefined ? sseGate.admit(chunk) : chunk
      if (sseUsage !== undefined && sseGate?.passingThrough === false && relayed.length > 0) sseUsage.observe(relayed)
      if (relayed.length > 0) {
        clientBytes += relayed.length
        if (!out.write(relayed)) body.pause()
      }
      if (gate?.corrupt === true && !settled) {
        endEarly('upstream-failed', INTERNAL_SERVER_EXCEPTION_EVENT, STREAM_CORRUPT_MESSAGE)
        body.destroy()
      }
    })
    out.on('drain', () => body.resume())
    body.once('end', () => {
      if (settled) return
      if (gate?.holdsPartialFrame === true || sseGate?.holdsPartialEvent === true) {
        endEarly('upstream-failed', INTERNAL_SERVER_EXCEPTION_EVENT, STREAM_CUT_SHORT_MESSAGE)
        return
      }
      out.end()
      finish('complete')
    })
    // HTTP/1.1 sockets stay writable after the caller closes its side, so that a caller that half-closes once its
    // request is sent still gets the answer. One that closes its side while the answer is already under way has
    // left (an SDK aborting a stream does exactly that): nothing would tell the relay otherwise until a write fails,
    // and a stream that stalls might never write again.
    const socket = res instanceof Http2ServerResponse ? undefined : res.socket
    const onCallerEnd = (): void => {
      if (settled || out.writableEnded) return
      body.destroy()
      breakOff(res)
      finish('client-gone')
    }
    if (socket !== null && socket !== undefined && !socket.readableEnded) {
      socket.once('end', onCallerEnd)
      out.once('close', () => socket.off('end', onCallerEnd))
      out.once('finish', () => socket.off('end', onCallerEnd))
    }
    out.once('close', () => {
      // writableEnded, not writableFinished: an HTTP/2 response reports itself finished once its stream closes,
      // even when the caller reset it halfway.
      if (out.writableEnded || settled) return
      body.destroy()
      finish('client-gone')
    })
    body.once('error', (error: unknown) => {
      if (!settled) endEarly('upstream-failed', INTERNAL_SERVER_EXCEPTION_EVENT, failureMidStreamMessage(error))
    })
    const onShutdown = (): void => {
      if (settled) return
      endEarly('gateway-shutdown', SERVICE_UNAVAILABLE_EXCEPTION_EVENT, SHUTDOWN_MESSAGE)
      body.destroy()
    }
    if (options.shutdown?.aborted === true) onShutdown()
    else options.shutdown?.once(ABORT_EVENT, onShutdown)
    const onFault = (reason: unknown): void => {
      if (settled) return
      const error = reason instanceof BedrockError ? reason : internalError(reason)
      endEarly('ended-by-gateway', error.type, error.message)
      body.destroy()
    }
    if (options.fault?.aborted === true) onFault(options.fault.reason)
    else options.fault?.once(ABORT_EVENT, onFault)
  })
}
