import type { ServerResponse } from 'node:http'
import { Http2ServerResponse, constants as http2 } from 'node:http2'
import type { Writable } from 'node:stream'
import {
  EVENT_STREAM_CONTENT_TYPE,
  EventStreamFrameTracker,
  INTERNAL_SERVER_EXCEPTION_EVENT,
  encodeExceptionFrame
} from '../bedrock/event-stream.ts'
import type { UpstreamResponse } from './forwarder.ts'
import { clientResponseHeaders } from './header-policy.ts'
import { failureMidStreamMessage } from './upstream-failure.ts'

export type ClientResponse = ServerResponse | Http2ServerResponse

/**
 * - `complete`: Bedrock's whole body was passed on.
 * - `client-gone`: the caller left first; the upstream request was aborted at once (no more tokens are spent).
 * - `upstream-failed`: Bedrock's side failed after the status was sent; see `exceptionEventSent`.
 */
export type PipeEnd = 'complete' | 'client-gone' | 'upstream-failed'

export interface PipeResult {
  readonly end: PipeEnd
  /** Body bytes received from Bedrock. */
  readonly upstreamBytes: number
  /** Body bytes written to the caller, an exception event included. */
  readonly clientBytes: number
  /** A failed event stream was closed with an exception event (rather than cut off mid-frame). */
  readonly exceptionEventSent: boolean
}

export interface PipeOptions {
  /** The gateway's id for the request, quoted in an exception event so a failure can be found in the logs. */
  readonly requestId: string
}

const CONTENT_TYPE_HEADER = 'content-type'
const CONTENT_LENGTH_HEADER = 'content-length'

function isEventStream (contentType: string | string[] | undefined): boolean {
  return typeof contentType === 'string' && contentType.split(';')[0]?.trim().toLowerCase() === EVENT_STREAM_CONTENT_TYPE
}

/** Ends the response so that the caller sees an error, never a short body that looks complete. */
function breakOff (res: ClientResponse): void {
  if (res instanceof Http2ServerResponse) res.stream.close(http2.NGHTTP2_INTERNAL_ERROR)
  else res.destroy()
}

function isClosed (res: ClientResponse): boolean {
  return res instanceof Http2ServerResponse ? res.stream.destroyed : res.destroyed
}

function ignore (): void {}

/**
 * Sends Bedrock's status, headers and body to the caller as the bytes arrive, never buffering the body, pausing
 * Bedrock whenever the caller is slower. If the caller disconnects, the upstream body is destroyed, which aborts the
 * upstream request and closes its connection.
 *
 * When an event stream fails after its 200, the caller must learn it from the stream itself. If every byte passed on
 * so far forms whole frames, the stream ends with a well-formed `internalServerException` event. If the failure left
 * a partial frame on the wire, any frame appended would be read as the rest of that frame, so the response is broken
 * off instead (connection reset on HTTP/1.1, RST_STREAM INTERNAL_ERROR on HTTP/2); clients report that as an error.
 * Any other body that fails midway is broken off the same way.
 */
export function pipeResponse (upstream: UpstreamResponse, res: ClientResponse, options: PipeOptions): Promise<PipeResult> {
  const headers = clientResponseHeaders(upstream.headers)
  const eventStream = isEventStream(headers[CONTENT_TYPE_HEADER])
  // An event stream's length is never fixed in advance, so that an exception event can always be appended.
  if (eventStream) delete headers[CONTENT_LENGTH_HEADER]
  const tracker = eventStream ? new EventStreamFrameTracker() : undefined
  const { body } = upstream
  let upstreamBytes = 0
  let clientBytes = 0
  // Errors after the end is settled (an abort racing the caller's disconnect) are expected and already accounted for.
  body.on('error', ignore)
  if (isClosed(res)) {
    body.destroy()
    return Promise.resolve({ end: 'client-gone', upstreamBytes, clientBytes, exceptionEventSent: false })
  }
  try {
    res.writeHead(upstream.status, headers)
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
      resolve({ end, upstreamBytes, clientBytes, exceptionEventSent })
    }

    body.on('data', (chunk: Buffer) => {
      upstreamBytes += chunk.length
      tracker?.track(chunk)
      clientBytes += chunk.length
      if (!out.write(chunk)) body.pause()
    })
    out.on('drain', () => body.resume())
    body.once('end', () => {
      out.end()
      finish('complete')
    })
    out.once('close', () => {
      if (out.writableFinished || settled) return
      body.destroy()
      finish('client-gone')
    })
    body.once('error', (error: unknown) => {
      if (settled) return
      if (tracker?.atFrameBoundary === true) {
        const message = `${failureMidStreamMessage(error)} Gateway request id: ${options.requestId}.`
        const frame = encodeExceptionFrame(INTERNAL_SERVER_EXCEPTION_EVENT, message)
        clientBytes += frame.length
        out.end(frame)
        finish('upstream-failed', true)
        return
      }
      breakOff(res)
      finish('upstream-failed')
    })
  })
}
