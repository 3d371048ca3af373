import http2, { type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2'
import type { AddressInfo } from 'node:net'
import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { EventStreamCodec, type Message } from '@smithy/eventstream-codec'
import { fromUtf8, toUtf8 } from '@smithy/util-utf8'
import { CONTENT_TYPE, DEFAULT_WAIT_TIMEOUT_MS, FAKE_UPSTREAM_CREDENTIALS, HEADER, LOOPBACK_HOST, MAX_CLOCK_SKEW_MS, SIGNING_SERVICE } from '../constants.ts'
import { toCredentialLookup, type AcceptedCredentials } from '../credentials.ts'
import { type SignatureVerdict, verifySignature } from '../sigv4/verify-signature.ts'
import { ChainChecker } from './event-chain.ts'

const codec = new EventStreamCodec(toUtf8, fromUtf8)
const STREAMING_PAYLOAD = 'STREAMING-AWS4-HMAC-SHA256-EVENTS'
const PATH = /^\/model\/([^/]+)\/invoke-with-bidirectional-stream$/
const SIGNATURE = /Signature=([0-9a-f]{64})$/
const POLL_MS = 5

/** One envelope as the fake received it. */
export interface ReceivedEnvelope {
  /** The inner event (empty for the end frame). */
  readonly payload: Buffer
  /** Whether its `:chunk-signature` was the next one on the chain, computed by the fake alone. */
  readonly signatureOk: boolean
}

export interface BidirectionalSession {
  readonly path: string
  /** The opening request's headers, as received. */
  readonly headers: IncomingHttpHeaders
  readonly modelId?: string
  readonly signature: SignatureVerdict
  readonly envelopes: ReceivedEnvelope[]
  /** The empty end frame arrived, and the sender then ended its side. */
  endFrame: boolean
  /** The sender reset the stream (or the connection went) before ending it. */
  closedEarly: boolean
  closed: boolean
}

export interface FakeBidirectional {
  /** `http://127.0.0.1:PORT`: HTTP/2 with prior knowledge, as the gateway's upstream endpoint. */
  readonly url: string
  readonly sessions: readonly BidirectionalSession[]
  waitForSessions (count: number): Promise<void>
  /** Until session `index` has received `count` envelopes. */
  waitForEnvelopes (index: number, count: number): Promise<void>
  waitForClose (index: number): Promise<void>
  /** Starts reading again after `stallAfterEnvelopes`. */
  resumeReading (): void
  close (): Promise<void>
}

export interface FakeBidirectionalOptions {
  readonly credentials?: AcceptedCredentials
  /** Stops reading a stream once it has received this many envelopes, until `resumeReading()`: a slow Bedrock. */
  readonly stallAfterEnvelopes?: number
}

/** Frames are cut apart by their total length, then decoded with the SDKs' codec, which checks both CRCs. */
function takeFrames (buffered: Buffer): { frames: Message[], rest: Buffer } {
  const frames: Message[] = []
  let at = 0
  while (buffered.length - at >= 4) {
    const length = buffered.readUInt32BE(at)
    if (buffered.length - at < length) break
    frames.push(codec.decode(buffered.subarray(at, at + length)))
    at += length
  }
  return { frames, rest: buffered.subarray(at) }
}

/** Every header but pseudo-headers, plus `host` from `:authority`, which is how HTTP/2 carries what was signed as host. */
function rawHeadersOf (headers: IncomingHttpHeaders): string[] {
  const raw: string[] = [HEADER.host, String(headers[':authority'])]
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(':') || value === undefined) continue
    for (const one of Array.isArray(value) ? value : [value]) raw.push(name, one)
  }
  return raw
}

function eventFrame (payload: Uint8Array): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: 'chunk' },
      ':content-type': { type: 'string', value: CONTENT_TYPE.json }
    },
    body: payload
  })
}

function exceptionFrame (type: string, message: string): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'exception' },
      ':exception-type': { type: 'string', value: type },
      ':content-type': { type: 'string', value: CONTENT_TYPE.json }
    },
    body: fromUtf8(JSON.stringify({ message }))
  })
}

/**
 * A fake InvokeModelWithBidirectionalStream over HTTP/2 (h2c) on 127.0.0.1: verifies the opening request's SigV4
 * signature (payload hash `STREAMING-AWS4-HMAC-SHA256-EVENTS`) and then every envelope's chained signature with its
 * own code (event-chain.ts), and echoes each inner `chunk` event back as an output `chunk` event with the same bytes.
 * The first envelope that does not verify ends the stream with an exception event.
 */
export async function startFakeBidirectional (options: FakeBidirectionalOptions = {}): Promise<FakeBidirectional> {
  const lookupCredentials = toCredentialLookup(options.credentials ?? FAKE_UPSTREAM_CREDENTIALS)
  const sessions: BidirectionalSession[] = []
  const stalled = new Set<ServerHttp2Stream>()
  let stalling = options.stallAfterEnvelopes !== undefined
  const server = http2.createServer()
  const open = new Set<http2.ServerHttp2Session>()
  server.on('session', (session: http2.ServerHttp2Session) => {
    open.add(session)
    session.once('close', () => open.delete(session))
  })
  server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
    const path = String(headers[':path'])
    const signature = verifySignature(
      { method: String(headers[':method']), rawUrl: path, rawHeaders: rawHeadersOf(headers), body: Buffer.alloc(0), payloadHash: STREAMING_PAYLOAD },
      { service: SIGNING_SERVICE, lookupCredentials, now: new Date(), maxClockSkewMs: MAX_CLOCK_SKEW_MS })
    const modelId = PATH.exec(path)?.[1]
    const session: BidirectionalSession = {
      path,
      headers,
      ...(modelId === undefined ? {} : { modelId: decodeURIComponent(modelId) }),
      signature,
      envelopes: [],
      endFrame: false,
      closedEarly: false,
      closed: false
    }
    sessions.push(session)
    stream.on('error', () => {})
    stream.once('close', () => {
      session.closed = true
      if (!session.endFrame || !stream.readableEnded) session.closedEarly = true
    })
    const requestId = randomUUID()
    if (!signature.ok || modelId === undefined || headers[HEADER.contentSha256] !== STREAMING_PAYLOAD) {
      const errorType = signature.ok ? 'ValidationException' : signature.errorType
      stream.respond({ ':status': signature.ok ? 400 : 403, [HEADER.errorType]: errorType, [HEADER.requestId]: requestId, 'content-type': CONTENT_TYPE.json })
      stream.end(JSON.stringify({ message: signature.ok ? 'not a bidirectional stream request' : signature.message }))
      return
    }
    const credentials = lookupCredentials(signature.accessKeyId)
    const seed = SIGNATURE.exec(String(headers[HEADER.authorization]))?.[1] ?? ''
    const chain = new ChainChecker({ secretAccessKey: credentials?.secretAccessKey ?? '', region: signature.region, service: SIGNING_SERVICE }, seed)
    stream.respond({ ':status': 200, 'content-type': CONTENT_TYPE.eventStream, [HEADER.requestId]: requestId })
    let buffered: Buffer = Buffer.alloc(0)
    let failed = false
    stream.on('data', (chunk: Buffer) => {
      if (failed) return
      const { frames, rest } = takeFrames(Buffer.concat([buffered, chunk]))
      buffered = rest
      for (const frame of frames) {
        const date = frame.headers[':date']
        const chunkSignature = frame.headers[':chunk-signature']
        const dateMs = date?.type === 'timestamp' ? date.value.getTime() : Number.NaN
        const payload = Buffer.from(frame.body)
        const signatureOk = chunkSignature?.type === 'binary' && Math.abs(dateMs - Date.now()) <= MAX_CLOCK_SKEW_MS &&
          chain.accept(dateMs, chunkSignature.value, payload)
        session.envelopes.push({ payload, signatureOk })
        if (!signatureOk) {
          failed = true
          stream.end(exceptionFrame('validationException', 'an event signature did not verify'))
          return
        }
        if (payload.length === 0) {
          session.endFrame = true
          continue
        }
        stream.write(eventFrame(codec.decode(payload).body))
      }
      if (stalling && session.envelopes.length >= (options.stallAfterEnvelopes ?? 0)) {
        stream.pause()
        stalled.add(stream)
      }
    })
    stream.once('end', () => { if (!failed && !stream.writableEnded) stream.end() })
  })
  await new Promise<void>((resolve) => server.listen(0, LOOPBACK_HOST, resolve))
  const { port } = server.address() as AddressInfo

  const waitUntil = async (done: () => boolean): Promise<void> => {
    const deadline = Date.now() + DEFAULT_WAIT_TIMEOUT_MS
    while (!done()) {
      if (Date.now() > deadline) throw new Error('the fake bidirectional stream waited in vain')
      await sleep(POLL_MS)
    }
  }
  return {
    url: `http://${LOOPBACK_HOST}:${port}`,
    sessions,
    waitForSessions: (count) => waitUntil(() => sessions.length >= count),
    waitForEnvelopes: (index, count) => waitUntil(() => (sessions[index]?.envelopes.length ?? 0) >= count),
    waitForClose: (index) => waitUntil(() => sessions[index]?.closed === true),
    resumeReading: () => {
      stalling = false
      for (const stream of stalled) stream.resume()
      stalled.clear()
    },
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve())
      for (const session of open) session.destroy()
    })
  }
}
