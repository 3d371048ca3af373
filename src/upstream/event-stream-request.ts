import http2, { type ClientHttp2Session, type ClientHttp2Stream } from 'node:http2'
import { performance } from 'node:perf_hooks'
import type { EventSignatureChain } from '../sigv4/index.ts'
import { HOST_HEADER } from '../sigv4/index.ts'
import type { UpstreamConfig } from '../config/index.ts'
import type { UpstreamResponse } from './forwarder.ts'
import type { UpstreamOrigin } from './upstream-origin.ts'
import { failureBeforeResponse } from './upstream-failure.ts'

/** The codes failureBeforeResponse reads as "no connection" and "no response headers in time". */
const CONNECT_TIMEOUT_CODE = 'ETIMEDOUT'
const HEADERS_TIMEOUT_CODE = 'UND_ERR_HEADERS_TIMEOUT'

/** A bidirectional stream opened upstream: the events go out on `events`, Bedrock's answer comes back on `response`. */
export interface UpstreamEventStream {
  /** Takes whole, signed envelopes; `false` from write() means wait for `drain`. */
  readonly events: ClientHttp2Stream
  /** The chain the gateway signs its envelopes on, seeded with the request's own signature. */
  readonly chain: EventSignatureChain
  /** Resolves when the response headers arrive, or rejects as a request that got no response does. */
  readonly response: Promise<UpstreamResponse>
  /** Ends the stream and its connection at once, wherever they are. */
  close (): void
}

/** Node cancels a stream whose connection failed; the connection's own error (ECONNREFUSED ...) is its cause. */
const STREAM_CANCELLED_CODE = 'ERR_HTTP2_STREAM_CANCEL'

function connectionFailureOf (error: Error & { readonly code?: string }): unknown {
  return error.code === STREAM_CANCELLED_CODE && error.cause !== undefined ? error.cause : error
}

function timeoutError (code: string): Error {
  return Object.assign(new Error(code), { code })
}

/**
 * Opens one HTTP/2 request to Bedrock, on a connection of its own: a bidirectional stream lives for minutes, and
 * ending it (or its failing) must not touch any other caller's. `signedHeaders` are what the signer produced; the
 * authority travels as `:authority`, HTTP/2's host, which is what was signed as `host`.
 */
export function openUpstreamEventStream (origin: UpstreamOrigin, target: string, signed: { readonly headers: Record<string, string>; readonly chain: EventSignatureChain },
  limits: Pick<UpstreamConfig, 'connectTimeoutMs' | 'headersTimeoutMs'>, region: string): UpstreamEventStream {
  const session: ClientHttp2Session = http2.connect(origin.origin)
  const { [HOST_HEADER]: authority, ...headers } = signed.headers
  const events = session.request({
    [http2.constants.HTTP2_HEADER_METHOD]: http2.constants.HTTP2_METHOD_POST,
    [http2.constants.HTTP2_HEADER_PATH]: target,
    [http2.constants.HTTP2_HEADER_AUTHORITY]: authority,
    ...headers
  })
  const sentAt = performance.now()
  const close = (): void => {
    events.destroy()
    session.destroy()
  }
  const response = new Promise<UpstreamResponse>((resolve, reject) => {
    let answered = false
    const fail = (error: unknown): void => {
      if (answered) return
      answered = true
      clearTimeout(connectTimer)
      clearTimeout(headersTimer)
      close()
      reject(failureBeforeResponse(error, region))
    }
    const connectTimer = setTimeout(() => fail(timeoutError(CONNECT_TIMEOUT_CODE)), limits.connectTimeoutMs)
    const headersTimer = setTimeout(() => fail(timeoutError(HEADERS_TIMEOUT_CODE)), limits.headersTimeoutMs)
    session.once('connect', () => clearTimeout(connectTimer))
    session.once('error', fail)
    events.once('error', (error: Error) => fail(connectionFailureOf(error)))
    events.once('close', () => fail(new Error('the upstream stream closed before its response')))
    events.once('response', (responseHeaders) => {
      if (answered) return
      answered = true
      clearTimeout(connectTimer)
      clearTimeout(headersTimer)
      resolve({ status: Number(responseHeaders[http2.constants.HTTP2_HEADER_STATUS]), headers: responseHeaders, body: events, sentAt })
    })
  })
  // Whoever reads the response handles what goes wrong after it; until then `response` reports it.
  session.on('error', () => {})
  events.on('error', () => {})
  return { events, chain: signed.chain, response, close }
}
