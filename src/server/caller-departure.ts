import { type IncomingMessage, ServerResponse } from 'node:http'
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2'

/**
 * How often a caller that closed its sending side is checked for a reset while Bedrock has not answered. A write
 * fails only once the caller's reset has arrived, so a caller that has gone is noticed within its round trip and
 * this interval.
 */
const PROBE_INTERVAL_MS = 100
const NOTHING = Buffer.alloc(0)

/**
 * Calls `onLeft` once the caller of a request waiting for Bedrock's answer has gone, and returns what stops the watch
 * (call it once the answer arrives: from then on the relay watches the caller itself).
 *
 * HTTP/2 callers reset their stream, and a closed HTTP/1.1 socket closes the response. An HTTP/1.1 caller's FIN is
 * not enough: one that half-closes after its request (nc -N) must still get its answer, and one that closes its
 * connection sends the same FIN. Only the caller's kernel can tell them apart, when bytes reach it: a closed socket
 * answers them with a reset. So a FIN before the answer is met with a `100 Continue`, which every HTTP/1.1 client
 * must accept before its final answer, and the socket is then written nothing until the answer comes: the first
 * write after a reset fails, node destroys the socket, and the response closes.
 */
export function watchForDeparture (
  request: IncomingMessage | Http2ServerRequest,
  response: ServerResponse | Http2ServerResponse,
  onLeft: () => void
): () => void {
  // writableEnded, not writableFinished: an HTTP/2 response reports itself finished once its stream closes, even
  // when the caller reset it halfway.
  const onClose = (): void => { if (!response.writableEnded) onLeft() }
  response.once('close', onClose)
  if (!(response instanceof ServerResponse)) return () => { response.off('close', onClose) }

  const socket = (request as IncomingMessage).socket
  let probe: NodeJS.Timeout | undefined
  const onEnd = (): void => {
    // A socket that is not half-open closes on its own after a FIN, and the answer's own writes fail once it is sent.
    if (!socket.allowHalfOpen || !socket.writable || response.headersSent) return
    // HTTP/1.0 callers may not be sent a 1xx answer, so whether they are still there cannot be asked: rather than
    // pay Bedrock for an answer nobody may read, the connection is closed.
    if (request.httpVersion === '1.0') {
      socket.destroy()
      return
    }
    response.writeContinue()
    probe = setInterval(() => { if (socket.writable) socket.write(NOTHING) }, PROBE_INTERVAL_MS)
  }
  if (socket.readableEnded) onEnd()
  else socket.once('end', onEnd)
  return () => {
    response.off('close', onClose)
    socket.off('end', onEnd)
    clearInterval(probe)
  }
}
