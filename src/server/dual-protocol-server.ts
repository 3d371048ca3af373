import http from 'node:http'
import http2 from 'node:http2'
import net from 'node:net'
import { type RawRefusal, writeRawClientError } from './error-replies.ts'
import { MAX_HEADER_FIELDS } from './header-limits.ts'

/** Every HTTP/2 connection with prior knowledge starts with these bytes (RFC 9113, section 3.4). */
const HTTP2_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1')

const CONNECTIONS_CHECKING_INTERVAL_MS = 1000

export type RequestHandler = (req: http.IncomingMessage | http2.Http2ServerRequest, res: http.ServerResponse | http2.Http2ServerResponse) => void

export interface DualProtocolOptions {
  /** A connection that sends nothing (or only part of its first request line) for this long is closed. */
  readonly firstBytesTimeoutMs: number
  readonly keepAliveTimeoutMs: number
  /** Whole-request deadline for HTTP/1.1: slow senders are cut off. */
  readonly requestTimeoutMs: number
  readonly headersTimeoutMs: number
  /** An HTTP/2 session with no open stream and no traffic for this long is closed. */
  readonly http2SessionIdleMs: number
  readonly maxHeaderBytes: number
  /** PEM certificate and key: TLS on the same port, HTTP/2 or HTTP/1.1 chosen by ALPN. */
  readonly tls?: { readonly cert: string; readonly key: string }
  /** Told of every HTTP/1.1 request node's parser refused, once it has been answered, so that it is audited too. */
  readonly onRawRefusal: (refusal: RawRefusal, startedAt: bigint) => void
}

/**
 * The request limits of both HTTP/2 servers, cleartext and TLS. maxHeaderListSize is what limits the headers a
 * client sends (its streams are refused beyond it); maxSendHeaderBlockLength would only limit the gateway's own answers.
 */
function http2Limits (options: DualProtocolOptions): http2.ServerOptions {
  return { settings: { maxHeaderListSize: options.maxHeaderBytes }, maxHeaderListPairs: MAX_HEADER_FIELDS }
}

/**
 * One port for HTTP/1.1 and HTTP/2. In cleartext, HTTP/2 comes with prior knowledge (h2c): the AWS SDK for
 * JavaScript v3 speaks it by default while botocore, LiteLLM and curl speak HTTP/1.1, so the first bytes of every
 * connection decide which inner server gets it. With TLS, ALPN decides. The inner servers never listen themselves;
 * this one does.
 */
export class DualProtocolServer extends net.Server {
  private readonly http1: http.Server
  private readonly http2: http2.Http2Server
  private readonly sniffing = new Set<net.Socket>()
  private readonly sessions = new Set<http2.Http2Session>()
  private readonly secureSockets = new Set<net.Socket>()

  constructor (handler: RequestHandler, options: DualProtocolOptions) {
    // Half-open: a caller may close its sending side once its request is sent (nc -N and some proxies do); its
    // answer must still reach it. HTTP/2 and TLS connections are switched back when handed over.
    super({ noDelay: true, allowHalfOpen: true })
    this.http1 = http.createServer({
      requestTimeout: options.requestTimeoutMs,
      headersTimeout: Math.min(options.headersTimeoutMs, options.requestTimeoutMs),
      keepAliveTimeout: options.keepAliveTimeoutMs,
      // How often the request and header deadlines are enforced; at node's default (30 s) a slowloris connection
      // outlives requestTimeoutMs by up to 30 s.
      connectionsCheckingInterval: CONNECTIONS_CHECKING_INTERVAL_MS,
      maxHeaderSize: options.maxHeaderBytes,
      noDelay: true
    }, handler)
    this.http1.maxHeadersCount = MAX_HEADER_FIELDS
    // Undocumented but long-standing (and missing from @types/node): without it the HTTP/1.1 server aborts a request
    // whose caller half-closed and ends the socket, so an allowed request would be forwarded (and paid for) while its
    // answer is thrown away.
    Object.assign(this.http1, { httpAllowHalfOpen: true })
    this.http1.on('clientError', (error: Error, socket: net.Socket) => {
      const startedAt = process.hrtime.bigint()
      const refusal = writeRawClientError(error, socket)
      if (refusal !== undefined) options.onRawRefusal(refusal, startedAt)
    })
    this.http2 = http2.createServer(http2Limits(options), handler)
    this.http2.on('session', (session: http2.Http2Session) => this.trackSession(session, options.http2SessionIdleMs))
    const secure = options.tls === undefined ? undefined : this.secureServer(handler, options, options.tls)
    this.on('connection', (socket: net.Socket) => {
      if (secure === undefined) {
        this.sniff(socket, options.firstBytesTimeoutMs)
      } else {
        socket.allowHalfOpen = false
        secure.emit('connection', socket)
      }
    })
    // The inner HTTP/1.1 server only tracks connections and enforces its timeouts once it believes it listens.
    this.once('listening', () => this.http1.emit('listening'))
    this.once('close', () => this.http1.emit('close'))
  }

  /**
   * TLS on the same port: Node's secure HTTP/2 server does the handshake, serves h2 and hands `http/1.1` (by ALPN,
   * or from clients that offer none) to its HTTP/1.1 side. Its connections are tracked so a shutdown can close them.
   */
  private secureServer (handler: RequestHandler, options: DualProtocolOptions, tls: { readonly cert: string; readonly key: string }): http2.Http2SecureServer {
    const secure = http2.createSecureServer({
      cert: tls.cert,
      key: tls.key,
      allowHTTP1: true,
      ...http2Limits(options)
    }, handler)
    secure.setTimeout(options.requestTimeoutMs)
    secure.on('session', (session: http2.Http2Session) => this.trackSession(session, options.http2SessionIdleMs))
    secure.on('secureConnection', (socket: net.Socket) => {
      this.secureSockets.add(socket)
      socket.once('close', () => this.secureSockets.delete(socket))
    })
    return secure
  }

  private trackSession (session: http2.Http2Session, idleMs: number): void {
    this.sessions.add(session)
    session.setTimeout(idleMs, () => session.close())
    session.once('close', () => this.sessions.delete(session))
  }

  private sniff (socket: net.Socket, timeoutMs: number): void {
    this.sniffing.add(socket)
    let seen: Buffer = Buffer.alloc(0)
    const stop = (): void => {
      socket.setTimeout(0)
      socket.removeListener('data', onData)
      socket.removeListener('timeout', onTimeout)
      socket.removeListener('error', onError)
      socket.removeListener('end', onEnd)
      this.sniffing.delete(socket)
    }
    const onTimeout = (): void => { stop(); socket.destroy() }
    const onError = (): void => { stop(); socket.destroy() }
    // The caller closed its side before its first bytes named a protocol: there is nothing to answer.
    const onEnd = (): void => { stop(); socket.destroy() }
    const onData = (chunk: Buffer): void => {
      seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk])
      const compared = Math.min(seen.length, HTTP2_PREFACE.length)
      const isPrefacePrefix = seen.subarray(0, compared).equals(HTTP2_PREFACE.subarray(0, compared))
      if (isPrefacePrefix && seen.length < HTTP2_PREFACE.length) return
      stop()
      socket.pause()
      socket.unshift(seen)
      if (isPrefacePrefix) {
        // The HTTP/2 session reads the unshifted bytes itself; resuming here would feed them twice. A session whose
        // peer closed its side has nothing left to ask for, so its socket closes as node's own servers' do.
        socket.allowHalfOpen = false
        this.http2.emit('connection', socket)
      } else {
        this.http1.emit('connection', socket)
        socket.resume()
      }
    }
    socket.setTimeout(timeoutMs, onTimeout)
    socket.on('data', onData)
    socket.on('error', onError)
    socket.on('end', onEnd)
  }

  /** Asks HTTP/2 clients to go away once their streams finish, and closes idle HTTP/1.1 keep-alive sockets. */
  closeIdleConnections (): void {
    this.http1.closeIdleConnections()
    for (const session of this.sessions) session.close()
    for (const socket of this.sniffing) socket.destroy()
  }

  closeAllConnections (): void {
    this.http1.closeAllConnections()
    for (const session of this.sessions) session.destroy()
    for (const socket of this.secureSockets) socket.destroy()
    for (const socket of this.sniffing) socket.destroy()
  }
}
