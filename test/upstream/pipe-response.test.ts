import t from 'tap'
import { AbortNotice } from '../../src/upstream/abort-notice.ts'
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { crc32 } from 'node:zlib'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import http2, { type Http2ServerRequest, type Http2ServerResponse } from 'node:http2'
import type { AddressInfo, Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { request } from 'undici'
import type { UpstreamConfig } from '../../src/config/types.ts'
import type { OperationName } from '../../src/bedrock/operation-names.ts'
import { createCredentialSource } from '../../src/upstream/credentials.ts'
import { createForwarder } from '../../src/upstream/forwarder.ts'
import { upstreamRequestHeaders } from '../../src/upstream/header-policy.ts'
import { pipeResponse, type PipeResult } from '../../src/upstream/pipe-response.ts'
import { decodeFrames, eventFrame } from '../support/fake-bedrock/index.ts'
import { startRecordingUpstream, type RecordingUpstream } from '../support/recording-upstream.ts'

const EVENT_STREAM = 'application/vnd.amazon.eventstream'
const STREAM_PATH = '/model/eu.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse-stream'
const GATEWAY_REQUEST_ID = 'gw-test-request-1'
const credentials = { accessKeyId: 'ASIAGATEWAY', secretAccessKey: 'gateway-secret', sessionToken: 'gateway-token', expiration: new Date(Date.now() + 3_600_000) }
const source = createCredentialSource({ sessionName: 'test', refreshBeforeExpirySeconds: 300 }, async () => credentials)
const frames = [
  eventFrame('messageStart', { role: 'assistant' }),
  eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text: 'Hello' } }),
  eventFrame('messageStop', { stopReason: 'end_turn' })
]
const [frame1, frame2, frame3] = frames as [Buffer, Buffer, Buffer]

let upstream: RecordingUpstream
t.before(async () => { upstream = await startRecordingUpstream((key) => key === credentials.accessKeyId ? credentials : undefined) })
t.teardown(() => upstream.close())
t.afterEach(() => { upstream.respond = (_request, res) => res.end() })

/** Answers with an event stream that writes `chunks`, then runs `after` once they have left the upstream process. */
function streamThen (chunks: Buffer[], after: (res: ServerResponse, socket: Socket) => void = (res) => res.end()) {
  upstream.respond = (recorded, res) => {
    res.writeHead(200, { 'content-type': EVENT_STREAM, 'x-amzn-requestid': 'upstream-request-id' })
    for (const chunk of chunks.slice(0, -1)) res.write(chunk)
    res.write(chunks.at(-1) ?? Buffer.alloc(0), () => setTimeout(() => after(res, recorded.socket), 20))
  }
}

/** The part of the gateway this module serves: forward an allowed request, then pipe Bedrock's answer back. */
async function startGateway (protocol: 'http/1.1' | 'h2c', config: Partial<UpstreamConfig> = {}, operation: OperationName = 'ConverseStream') {
  const forwarder = createForwarder({ endpoint: upstream.origin, mantleEndpoint: upstream.origin, mantleSigningName: 'bedrock-mantle', agentRuntimeEndpoint: upstream.origin, connectTimeoutMs: 2_000, headersTimeoutMs: 2_000, bodyIdleTimeoutMs: 2_000, ...config }, source)
  const results: Promise<PipeResult>[] = []
  const shutdown = new AbortNotice()
  const handler = async (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => {
    const abort = new AbortNotice()
    res.once('close', () => { if (!res.writableFinished) abort.abort(new Error('caller left')) })
    const body = Buffer.concat(await req.toArray())
    const upstreamResponse = await forwarder.forward({
      api: 'bedrock-runtime',
      region: 'eu-west-2',
      method: req.method ?? 'POST',
      path: req.url ?? '/',
      query: '',
      headers: upstreamRequestHeaders(req.headers, operation),
      body,
      bodySha256Hex: createHash('sha256').update(body).digest('hex')
    }, abort)
    const piped = pipeResponse(upstreamResponse, res, { requestId: GATEWAY_REQUEST_ID, shutdown })
    results.push(piped)
    await piped
  }
  const listener = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse): void => { void handler(req, res) }
  const server = protocol === 'h2c' ? http2.createServer(listener) : createServer(listener)
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  t.teardown(async () => {
    if ('closeAllConnections' in server) server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
    await forwarder.close()
  })
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    shutdown: () => shutdown.abort(new Error('grace period over')),
    result: async () => { while (results.length === 0) await sleep(5); return results[0] as Promise<PipeResult> }
  }
}

function post (origin: string) {
  return request(`${origin}${STREAM_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"messages":[]}' })
}

t.test('an event stream reaches the caller frame by frame, as upstream sends it', async (t) => {
  let sendRest: () => void = () => {}
  upstream.respond = (_recorded, res) => {
    res.writeHead(200, { 'content-type': EVENT_STREAM, 'x-amzn-requestid': 'upstream-request-id' })
    res.write(frame1)
    sendRest = () => { res.write(frame2); res.end(frame3) }
  }
  const gateway = await startGateway('http/1.1')
  const response = await post(gateway.origin)
  t.equal(response.statusCode, 200)
  t.equal(response.headers['content-type'], EVENT_STREAM)
  t.equal(response.headers['x-amzn-requestid'], 'upstream-request-id')
  const received: Buffer[] = []
  for await (const chunk of response.body) {
    received.push(chunk as Buffer)
    if (Buffer.concat(received).length === frame1.length) {
      t.same(decodeFrames(Buffer.concat(received)).map((f) => f.headers[':event-type']), ['messageStart'], 'the first event arrived while upstream still held the rest')
      sendRest()
    }
  }
  t.same(decodeFrames(Buffer.concat(received)).map((f) => f.headers[':event-type']), ['messageStart', 'contentBlockDelta', 'messageStop'])
  const total = frame1.length + frame2.length + frame3.length
  t.match(await gateway.result(), { end: 'complete', upstreamBytes: total, clientBytes: total, exceptionEventSent: false })
})

t.test('upstream breaking off between frames: the stream ends with a well-formed internalServerException event', async (t) => {
  streamThen([frame1, frame2], (_res, socket) => socket.destroy())
  const gateway = await startGateway('http/1.1')
  const response = await post(gateway.origin)
  const decoded = decodeFrames(Buffer.concat(await response.body.toArray() as Buffer[]))
  t.same(decoded.slice(0, 2).map((f) => f.headers[':event-type']), ['messageStart', 'contentBlockDelta'])
  t.match(decoded[2], {
    headers: { ':message-type': 'exception', ':exception-type': 'internalServerException', ':content-type': 'application/json' },
    payload: { message: new RegExp(`broke off.*${GATEWAY_REQUEST_ID}`) }
  })
  t.equal(decoded.length, 3)
  t.match(await gateway.result(), { end: 'upstream-failed', exceptionEventSent: true, upstreamBytes: frame1.length + frame2.length })
})

/** frame2 with one payload byte flipped: its prelude is sound, its message CRC is not. */
function withBadMessageCrc (frame: Buffer): Buffer {
  const copy = Buffer.from(frame)
  copy[copy.length - 6] = (copy[copy.length - 6] as number) ^ 0xff
  return copy
}

/** frame2 announcing a length no event stream may have (its prelude CRC recomputed, so only the length is wrong). */
function withImpossibleLength (frame: Buffer): Buffer {
  const copy = Buffer.from(frame)
  copy.writeUInt32BE(0xffffffff, 0)
  copy.writeUInt32BE(crc32(copy.subarray(0, 8)), 8)
  return copy
}

const BROKEN_STREAMS: ReadonlyArray<{ title: string, chunks: Buffer[], end: (res: ServerResponse, socket: Socket) => void, message: RegExp }> = [
  { title: 'upstream breaking off inside a frame', chunks: [frame1, frame2.subarray(0, 10)], end: (_res, socket) => socket.destroy(), message: /broke off/ },
  { title: 'upstream ending cleanly inside a frame', chunks: [frame1, frame2.subarray(0, 10)], end: (res) => res.end(), message: /ended inside an event/ },
  { title: 'upstream ending cleanly inside a frame prelude', chunks: [frame1, frame2.subarray(0, 3)], end: (res) => res.end(), message: /ended inside an event/ },
  { title: 'a frame whose message CRC is wrong', chunks: [frame1, withBadMessageCrc(frame2), frame3], end: (res) => res.end(), message: /corrupt/ },
  { title: 'a frame announcing an impossible length', chunks: [frame1, withImpossibleLength(frame2), frame3], end: (res) => res.end(), message: /corrupt/ }
]

for (const broken of BROKEN_STREAMS) {
  t.test(`${broken.title}: nothing past the last good frame is relayed, and a framed internalServerException follows it`, async (t) => {
    streamThen(broken.chunks, broken.end)
    const gateway = await startGateway('http/1.1')
    const response = await post(gateway.origin)
    const body = Buffer.concat(await response.body.toArray() as Buffer[])
    t.same(body.subarray(0, frame1.length), frame1, 'the good frame, as upstream sent it')
    const decoded = decodeFrames(body)
    t.equal(decoded.length, 2, 'the good frame and the exception, nothing of the broken one')
    t.match(decoded[1], {
      headers: { ':message-type': 'exception', ':exception-type': 'internalServerException' },
      payload: { message: new RegExp(`${broken.message.source}.*${GATEWAY_REQUEST_ID}`) }
    })
    t.match(await gateway.result(), { end: 'upstream-failed', exceptionEventSent: true })
  })
}

t.test('a shutdown whose grace period runs out ends a running stream with a serviceUnavailableException event and aborts upstream', async (t) => {
  let upstreamClosed: Promise<unknown> | undefined
  upstream.respond = (recorded, res) => {
    upstreamClosed = once(recorded.socket, 'close')
    res.writeHead(200, { 'content-type': EVENT_STREAM })
    res.write(frame1)
  }
  const gateway = await startGateway('http/1.1')
  const response = await post(gateway.origin)
  const received: Buffer[] = []
  for await (const chunk of response.body) {
    received.push(chunk as Buffer)
    if (received.length === 1) gateway.shutdown()
  }
  const decoded = decodeFrames(Buffer.concat(received))
  t.same(decoded.map((f) => f.headers[':message-type']), ['event', 'exception'])
  t.match(decoded[1], { headers: { ':exception-type': 'serviceUnavailableException' }, payload: { message: /shutting down/ } })
  await t.resolves(Promise.race([upstreamClosed, sleep(1_000).then(() => { throw new Error('upstream connection still open') })]))
  t.match(await gateway.result(), { end: 'gateway-shutdown', exceptionEventSent: true })
})

t.test('a stream\'s token usage is read from its metadata event, and its first byte is timed', async (t) => {
  const metadata = eventFrame('metadata', { usage: { inputTokens: 25, outputTokens: 7, totalTokens: 32 }, metrics: { latencyMs: 300 } })
  upstream.respond = (_recorded, res) => {
    res.writeHead(200, { 'content-type': EVENT_STREAM })
    setTimeout(() => { res.write(frame1); res.end(metadata) }, 200)
  }
  const gateway = await startGateway('http/1.1')
  await (await post(gateway.origin)).body.text()
  const result = await gateway.result()
  t.match(result, { end: 'complete', usage: { inputTokens: 25, outputTokens: 7 } })
  t.ok((result.firstByteAfterMs ?? 0) >= 150, `first byte after ${result.firstByteAfterMs} ms, upstream waited 200 ms`)
})

t.test('InvokeModel usage comes from Bedrock\'s token-count headers, Converse usage from the JSON body', async (t) => {
  upstream.respond = (_recorded, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-bedrock-input-token-count': '11', 'x-amzn-bedrock-output-token-count': '22' })
    res.end('{"content":[{"type":"text","text":"hi"}],"usage":{"input_tokens":11,"output_tokens":22}}')
  }
  const invoke = await startGateway('http/1.1', {}, 'InvokeModel')
  await (await post(invoke.origin)).body.text()
  t.match(await invoke.result(), { usage: { inputTokens: 11, outputTokens: 22 } })

  upstream.respond = (_recorded, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ output: { message: { role: 'assistant', content: [{ text: 'hi' }] } }, usage: { inputTokens: 5, outputTokens: 9, totalTokens: 14 } }))
  }
  const converse = await startGateway('http/1.1', {}, 'Converse')
  await (await post(converse.origin)).body.text()
  t.match(await converse.result(), { usage: { inputTokens: 5, outputTokens: 9 } })
})

t.test('upstream going silent longer than bodyIdleTimeoutMs ends the stream with an exception event', async (t) => {
  streamThen([frame1], () => {})
  const gateway = await startGateway('http/1.1', { bodyIdleTimeoutMs: 300 })
  const response = await post(gateway.origin)
  const decoded = decodeFrames(Buffer.concat(await response.body.toArray() as Buffer[]))
  t.equal(decoded.length, 2)
  t.match(decoded[1], { headers: { ':exception-type': 'internalServerException' }, payload: { message: /stopped sending/ } })
})

t.test('a caller that disconnects mid-stream gets the upstream connection closed within a second', async (t) => {
  let upstreamClosed: Promise<number> | undefined
  upstream.respond = (recorded, res) => {
    upstreamClosed = once(recorded.socket, 'close').then(() => Date.now())
    res.writeHead(200, { 'content-type': EVENT_STREAM })
    res.write(frame1)
  }
  const gateway = await startGateway('http/1.1')
  const response = await post(gateway.origin)
  // The caller reads the first chunk and hangs up: the iterator's return() destroys the body.
  const chunks = response.body[Symbol.asyncIterator]()
  await chunks.next()
  await chunks.return?.()
  const callerLeftAt = Date.now()
  const closedAt = await Promise.race([upstreamClosed, sleep(1_000).then(() => undefined)])
  t.ok(closedAt !== undefined && closedAt - callerLeftAt < 1_000, 'upstream saw its connection closed within a second')
  t.match(await gateway.result(), { end: 'client-gone', exceptionEventSent: false, upstreamBytes: frame1.length })
})

t.test('a Bedrock error answer passes through unchanged but for hop-by-hop headers and cookies', async (t) => {
  const errorBody = JSON.stringify({ message: 'Too many requests, please wait before trying again.' })
  upstream.respond = (_recorded, res) => {
    res.writeHead(429, {
      'content-type': 'application/json',
      'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/',
      'x-amzn-requestid': 'upstream-request-id',
      'content-length': Buffer.byteLength(errorBody),
      'set-cookie': 'AWSALB=abc',
      'keep-alive': 'timeout=77'
    })
    res.end(errorBody)
  }
  const gateway = await startGateway('http/1.1')
  const response = await post(gateway.origin)
  t.equal(response.statusCode, 429)
  t.equal(response.headers['x-amzn-errortype'], 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/')
  t.equal(response.headers['x-amzn-requestid'], 'upstream-request-id')
  t.equal(response.headers['content-length'], String(Buffer.byteLength(errorBody)))
  t.notOk('set-cookie' in response.headers)
  t.not(response.headers['keep-alive'], 'timeout=77', 'the gateway\'s own keep-alive, not upstream\'s')
  t.equal(await response.body.text(), errorBody)
})

t.test('a caller that does not read holds upstream back: the body is never buffered whole', async (t) => {
  const CHUNK = Buffer.alloc(1024 * 1024, 'x')
  const TOTAL_CHUNKS = 64
  let written = 0
  upstream.respond = (_recorded, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' })
    const writeMore = (): void => {
      while (written < TOTAL_CHUNKS * CHUNK.length) {
        written += CHUNK.length
        if (!res.write(CHUNK)) { res.once('drain', writeMore); return }
      }
      res.end()
    }
    writeMore()
  }
  const gateway = await startGateway('http/1.1')
  const response = await post(gateway.origin)
  await sleep(500)
  t.ok(written < 16 * CHUNK.length, `upstream could write only ${written / CHUNK.length} MiB of 64 while the caller read nothing`)
  let read = 0
  for await (const chunk of response.body) read += (chunk as Buffer).length
  t.equal(read, TOTAL_CHUNKS * CHUNK.length)
  t.match(await gateway.result(), { end: 'complete', upstreamBytes: read, clientBytes: read })
})

/** Sends one HTTP/2 request and collects what comes back, including how the stream ended. */
async function h2Post (origin: string) {
  const session = http2.connect(origin)
  t.teardown(() => session.close())
  const stream = session.request({ ':method': 'POST', ':path': STREAM_PATH, 'content-type': 'application/json' })
  stream.end('{"messages":[]}')
  const chunks: Buffer[] = []
  stream.on('data', (chunk: Buffer) => chunks.push(chunk))
  const [headers] = await once(stream, 'response') as [http2.IncomingHttpHeaders]
  await new Promise((resolve) => { stream.on('close', resolve); stream.on('error', () => {}) })
  return { headers, body: Buffer.concat(chunks), rstCode: stream.rstCode }
}

t.test('over HTTP/2 a break between frames also ends with an exception event', async (t) => {
  streamThen([frame1], (_res, socket) => socket.destroy())
  const gateway = await startGateway('h2c')
  const { headers, body, rstCode } = await h2Post(gateway.origin)
  t.equal(headers[':status'], 200)
  t.equal(rstCode, http2.constants.NGHTTP2_NO_ERROR)
  t.same(decodeFrames(body).map((f) => f.headers[':message-type']), ['event', 'exception'])
})

t.test('over HTTP/2 a break inside a frame also ends with an exception event after the last whole frame', async (t) => {
  streamThen([frame1, frame2.subarray(0, 10)], (_res, socket) => socket.destroy())
  const gateway = await startGateway('h2c')
  const { body, rstCode } = await h2Post(gateway.origin)
  t.equal(rstCode, http2.constants.NGHTTP2_NO_ERROR)
  t.same(decodeFrames(body).map((f) => f.headers[':message-type']), ['event', 'exception'])
})
