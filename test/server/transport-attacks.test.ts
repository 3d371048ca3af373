import http2 from 'node:http2'
import { connect as connectTcp, type Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import t, { type Test } from 'tap'
import { decodeFrames, sendSigned, signedHeaders, type SignedRequest } from '../support/fake-bedrock/index.ts'
import { assertBedrockError, inProcessLimitsYaml } from '../support/gateway-clients.ts'
import { auditLines, NARROW_CLIENT, parsedLogLines, SIGV4_CLIENT, startGatewayHarness, waitForAuditLines } from '../support/gateway-harness.ts'
import { CLAUDE_PATH_LABEL, signedConverse } from '../support/signed-converse.ts'
import { exchangeRaw, parseResponse, rawRequest, splitInterim } from '../support/raw-http1.ts'

/** The gateway's documented limit on header fields in one request, for HTTP/1.1 as for HTTP/2. */
const MAX_HEADER_FIELDS = 256

/**
 * A signed request as raw HTTP/1.1 bytes, asking the gateway to close the connection after answering, with
 * `extraHeaders` (unsigned) appended after the signed ones.
 */
async function signedRawRequest (url: string, request: SignedRequest, extraHeaders: readonly string[] = []): Promise<string> {
  const headers = await signedHeaders(url, request)
  const { host: _host, ...rest } = headers
  const body = String(request.body ?? '')
  const head = rawRequest(url, `${request.method} ${request.path} HTTP/1.1`, { ...rest, 'content-length': String(Buffer.byteLength(body)), connection: 'close' })
  // rawRequest ends the head with an empty line; the extra fields go in before it.
  return `${head.slice(0, -2)}${extraHeaders.map((line) => `${line}\r\n`).join('')}\r\n${body}`
}

t.test('half-close: a caller that closes its sending side after a whole request gets the whole answer', async (t) => {
  const harness = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
  const url = harness.gateway.url

  t.test('a unary call', async (t) => {
    const before = harness.fake.requests.length
    const response = parseResponse(await exchangeRaw(url, await signedRawRequest(url, signedConverse('converse')), true))
    t.equal(response.status, 200)
    t.match(JSON.parse(response.body.toString('utf8')), { output: { message: { role: 'assistant' } } })
    t.equal(harness.fake.requests.length, before + 1, 'forwarded once')
  })

  t.test('a stream: every frame arrives, and nothing is cut', async (t) => {
    const response = parseResponse(await exchangeRaw(url, await signedRawRequest(url, signedConverse('converse-stream')), true))
    t.equal(response.status, 200)
    t.equal(response.headers['transfer-encoding'], 'chunked')
    const body = dechunk(response.body)
    const frames = decodeFrames(body)
    t.ok(frames.length > 1, 'frames arrived')
    t.equal(frames.at(-1)?.headers[':event-type'], 'metadata', 'the last frame is the usage event')
  })

  t.test('a denied call is still answered', async (t) => {
    const before = harness.fake.requests.length
    const response = parseResponse(await exchangeRaw(url, await signedRawRequest(url, { ...signedConverse('converse'), region: 'eu-central-1' }), true))
    assertBedrockError(t, response, 403, 'AccessDeniedException')
    t.equal(harness.fake.requests.length, before, 'nothing forwarded')
  })
})

/** Far longer than a caller that has gone takes to be noticed: the fake is still thinking when the caller leaves. */
const SLOW_HEADERS_DELAY_MS = 5000
/** Long enough for the gateway to check on a half-closed caller several times before Bedrock answers. */
const HALF_CLOSED_WAIT_MS = 600
const CLOSE_WITHIN_MS = 1000
const CONTINUE = 'HTTP/1.1 100 Continue\r\n\r\n'
/** pino's level number for `error`, at which the gateway logs a failure it did not anticipate. */
const ERROR_LEVEL = 50

/** Opens a connection, writes `bytes` and resolves with the socket and everything the gateway will send on it. */
function openRaw (url: string, bytes: string): { socket: Socket, received: Promise<Buffer> } {
  const { hostname, port } = new URL(url)
  const socket = connectTcp(Number(port), hostname)
  const chunks: Buffer[] = []
  socket.on('data', (chunk: Buffer) => chunks.push(chunk))
  socket.on('error', () => {})
  const received = new Promise<Buffer>((resolve) => socket.on('close', () => resolve(Buffer.concat(chunks))))
  socket.write(bytes)
  return { socket, received }
}

t.test('a caller that closes its connection while Bedrock thinks: the upstream call is aborted, a half-closed one is still answered', async (t) => {
  const harness = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
  const { fake } = harness
  const url = harness.gateway.url
  const errorsLogged = (): unknown[] => parsedLogLines(harness).filter((line) => line.level === ERROR_LEVEL)

  // A plain close sends the same FIN as a half-close: only a write tells them apart.
  t.test('a whole close after the request: the fake sees its connection closed within a second, one audit line', async (t) => {
    const index = fake.requests.length
    const audited = auditLines(harness).length
    fake.nextFault({ kind: 'slowHeaders', delayMs: SLOW_HEADERS_DELAY_MS })
    const { socket, received } = openRaw(url, await signedRawRequest(url, signedConverse('converse')))
    await fake.waitForRequests(index + 1)
    socket.destroy()
    const record = await fake.waitForClose(index, CLOSE_WITHIN_MS)
    t.equal(record.response, undefined, 'the fake never got to answer')
    t.equal((await received).length, 0)
    const audit = await waitForAuditLines(harness, audited, 1)
    t.equal(audit.length, 1, 'one audit line')
    t.match(audit[0], { client: SIGV4_CLIENT.name, operation: 'Converse', decision: 'allowed' })
    t.equal(audit[0]?.status, undefined, 'no status: nobody was left to answer')
    t.same(errorsLogged(), [], 'nothing logged as a failure')
  })

  t.test('a half-close after the request: one 100 Continue, then the whole answer, the upstream call never cut', async (t) => {
    const index = fake.requests.length
    const audited = auditLines(harness).length
    fake.nextFault({ kind: 'slowHeaders', delayMs: HALF_CLOSED_WAIT_MS })
    const { socket, received } = openRaw(url, await signedRawRequest(url, signedConverse('converse')))
    socket.end()
    const raw = await received
    t.same(splitInterim(raw).interim, [CONTINUE], 'asked whether it is still there, once')
    const response = parseResponse(raw)
    t.equal(response.status, 200)
    t.match(JSON.parse(response.body.toString('utf8')), { output: { message: { role: 'assistant' } } })
    t.equal(fake.requests[index]?.closedEarly, false, 'the upstream call ran to its end')
    t.match(await waitForAuditLines(harness, audited, 1), [{ status: 200, upstreamStatus: 200 }])
  })

  t.test('HTTP/1.0, which may not be sent a 100 Continue: a caller that closes its side is disconnected, nothing paid for', async (t) => {
    const index = fake.requests.length
    const audited = auditLines(harness).length
    fake.nextFault({ kind: 'slowHeaders', delayMs: SLOW_HEADERS_DELAY_MS })
    const request = (await signedRawRequest(url, signedConverse('converse'))).replace(' HTTP/1.1\r\n', ' HTTP/1.0\r\n')
    const { socket, received } = openRaw(url, request)
    await fake.waitForRequests(index + 1)
    socket.end()
    const record = await fake.waitForClose(index, CLOSE_WITHIN_MS)
    t.equal(record.response, undefined, 'the fake never got to answer')
    t.equal((await received).length, 0, 'the connection closed without an answer')
    t.match(await waitForAuditLines(harness, audited, 1), [{ decision: 'allowed', status: undefined }])
  })
})

t.test(`header fields: a request with more than ${MAX_HEADER_FIELDS} is refused whole, never served with some dropped`, async (t) => {
  const harness = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
  const url = harness.gateway.url
  for (const count of [MAX_HEADER_FIELDS + 1, 2100]) {
    const padding = Array.from({ length: count }, () => 'p: 1')
    const response = parseResponse(await exchangeRaw(url, await signedRawRequest(url, signedConverse('converse'), padding)))
    assertBedrockError(t, response, 431, 'ValidationException')
    t.match(JSON.parse(response.body.toString('utf8')).message, `more than ${MAX_HEADER_FIELDS} header fields`)
  }
  t.equal(harness.fake.requests.length, 0, 'nothing forwarded')
  const withinLimit = parseResponse(await exchangeRaw(url, await signedRawRequest(url, signedConverse('converse'), Array.from({ length: 200 }, () => 'p: 1'))))
  t.equal(withinLimit.status, 200, 'a request within the limit is served')
  t.equal((await sendSigned(url, signedConverse('converse'))).status, 200, 'the gateway keeps serving')
})

const MEBIBYTE = 1024 * 1024
// 23 MiB is 24.1 MB, under the default limits.maxBodyBytes of 25 MB: a body the gateway would otherwise read whole.
const LARGE_BODY_MEBIBYTES = 23
const CONCURRENT_LARGE_BODIES = 20
/** What the gateway may add to this process's resident memory while 460 MiB of unauthenticated bodies arrive. */
const UNAUTHENTICATED_BODIES_RSS_CEILING_BYTES = 96 * MEBIBYTE
const RSS_SAMPLE_INTERVAL_MS = 20

/**
 * Sends one request with a `mebibytes`-long body on a fresh connection, writing it as fast as the gateway takes it
 * (one shared buffer, so the sender holds nothing), and resolves with the answer once the gateway closes.
 */
function sendLargeBody (url: string, head: string, mebibytes: number): Promise<Buffer> {
  const { hostname, port } = new URL(url)
  const chunk = Buffer.alloc(MEBIBYTE, 0x61)
  return new Promise((resolve) => {
    const socket = connectTcp(Number(port), hostname)
    const received: Buffer[] = []
    socket.on('data', (data: Buffer) => received.push(data))
    socket.on('error', () => {})
    socket.on('close', () => resolve(Buffer.concat(received)))
    socket.write(head)
    let sent = 0
    const writeMore = (): void => {
      while (sent < mebibytes) {
        sent++
        if (!socket.write(chunk)) {
          socket.once('drain', writeMore)
          return
        }
      }
    }
    writeMore()
  })
}

t.test(`${CONCURRENT_LARGE_BODIES} concurrent unauthenticated ${LARGE_BODY_MEBIBYTES} MiB bodies: refused from their headers, memory stays bounded`, async (t) => {
  const harness = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
  const url = harness.gateway.url
  globalThis.gc?.()
  const baseline = process.memoryUsage.rss()
  let peak = baseline
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()) }, RSS_SAMPLE_INTERVAL_MS)
  // Signed with a key id the gateway never issued: only its headers are needed to refuse it.
  const { authorization = '', 'x-amz-date': amzDate = '' } = await signedHeaders(url, {
    ...signedConverse('converse'),
    credentials: { accessKeyId: 'GEOFENCENOSUCHKEY001', secretAccessKey: 'never-issued-secret-for-this-test-0123' }
  })
  const head = rawRequest(url, `POST /model/${CLAUDE_PATH_LABEL}/converse HTTP/1.1`, {
    'content-type': 'application/json',
    'content-length': String(LARGE_BODY_MEBIBYTES * MEBIBYTE),
    connection: 'close',
    authorization,
    'x-amz-date': amzDate
  })
  const answers = await Promise.all(Array.from({ length: CONCURRENT_LARGE_BODIES }, () => sendLargeBody(url, head, LARGE_BODY_MEBIBYTES)))
  clearInterval(sampler)
  const grewBy = peak - baseline
  t.comment(`resident memory grew by ${(grewBy / MEBIBYTE).toFixed(1)} MiB at its peak while ${CONCURRENT_LARGE_BODIES * LARGE_BODY_MEBIBYTES} MiB of bodies arrived`)
  for (const answer of answers) {
    assertBedrockError(t, parseResponse(answer), 403, 'UnrecognizedClientException')
  }
  t.ok(grewBy < UNAUTHENTICATED_BODIES_RSS_CEILING_BYTES, `resident memory grew by less than ${UNAUTHENTICATED_BODIES_RSS_CEILING_BYTES / MEBIBYTE} MiB`)
  t.equal(harness.fake.requests.length, 0, 'nothing forwarded')
  t.equal((await sendSigned(url, signedConverse('converse'))).status, 200, 'the gateway keeps serving')
})

t.test('request bodies in flight are bounded per client: past the bound a Bedrock-shaped 503, and the bytes come back', async (t) => {
  const perClient = 3000
  const harness = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml({ maxBodyBytes: 2000, maxBodyBytesInFlightPerClient: perClient }) })
  const url = harness.gateway.url
  const body = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'x'.repeat(1500) }] }] })
  const request = { ...signedConverse('converse'), body }
  // The first request sends its headers and holds its body back, keeping its declared bytes in flight.
  const { hostname, port } = new URL(url)
  const slow = connectTcp(Number(port), hostname)
  slow.on('error', () => {})
  const slowRequest = await signedRawRequest(url, request)
  slow.write(slowRequest.slice(0, slowRequest.length - body.length))
  await sleep(100)
  const refused = await sendSigned(url, request)
  assertBedrockError(t, refused, 503, 'ServiceUnavailableException')
  const audit = harness.logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.shedCause === 'body_bytes_in_flight')
  t.equal(audit.length, 1, 'the audit line says why')
  t.match(audit[0], { client: SIGV4_CLIENT.name, decision: 'shed', status: 503 }, 'and names the client its headers identified')
  const others = await sendSigned(url, { ...request, credentials: { accessKeyId: NARROW_CLIENT.accessKeyId, secretAccessKey: NARROW_CLIENT.secretAccessKey }, region: 'eu-west-2', path: '/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse' })
  t.not(others.status, 503, 'another client is not held back by this one')
  slow.destroy()
  await sleep(100)
  t.equal((await sendSigned(url, request)).status, 200, 'once the first caller has gone its bytes are free again')
})

/** A whole attack may add at most this much to the process's resident memory (the gateway runs in this process). */
const ATTACK_RSS_CEILING_BYTES = 64 * MEBIBYTE

/** Runs `attack` while sampling resident memory; resolves with how much it grew at its peak. */
async function peakRssGrowth (attack: () => Promise<void>): Promise<number> {
  const baseline = process.memoryUsage.rss()
  let peak = baseline
  const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()) }, RSS_SAMPLE_INTERVAL_MS)
  try {
    await attack()
  } finally {
    clearInterval(sampler)
  }
  return Math.max(peak, process.memoryUsage.rss()) - baseline
}

/** Resolves once `socket` has closed, or after `limitMs` with false. */
function closedWithin (socket: Socket, limitMs: number): Promise<boolean> {
  if (socket.destroyed) return Promise.resolve(true)
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), limitMs)
    socket.once('close', () => { clearTimeout(timer); resolve(true) })
  })
}

t.test('attacks on the transport: the service stays up, memory stays bounded, nothing is forwarded', async (t) => {
  const requestTimeoutMs = 1500
  const harness = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml({ requestTimeoutMs }) })
  const url = harness.gateway.url
  const { hostname, port } = new URL(url)
  const stillServing = async (t: Test): Promise<void> => {
    t.equal((await sendSigned(url, signedConverse('converse'))).status, 200, 'an ordinary call is served')
  }
  const forwardedBefore = (): number => harness.fake.requests.length
  /** Memory stayed under the ceiling, the gateway still serves, and only that ordinary call reached Bedrock. */
  const assertContained = async (t: Test, grew: number, forwardedAtStart: number): Promise<void> => {
    t.ok(grew < ATTACK_RSS_CEILING_BYTES, `resident memory grew by ${(grew / MEBIBYTE).toFixed(1)} MiB`)
    await stillServing(t)
    t.equal(forwardedBefore(), forwardedAtStart + 1)
  }

  t.test('slowloris: 200 connections trickling their headers are cut off at limits.requestTimeoutMs', async (t) => {
    const before = forwardedBefore()
    const sockets: Socket[] = []
    const grew = await peakRssGrowth(async () => {
      for (let i = 0; i < 200; i++) {
        const socket = connectTcp(Number(port), hostname)
        socket.on('error', () => {})
        socket.resume()
        socket.write(`POST /model/${CLAUDE_PATH_LABEL}/converse HTTP/1.1\r\nhost: ${hostname}\r\n`)
        sockets.push(socket)
      }
      const trickle = setInterval(() => { for (const socket of sockets) if (!socket.destroyed) socket.write('x-slow: 1\r\n') }, 200)
      try {
        await stillServing(t)
        const closed = await Promise.all(sockets.map((socket) => closedWithin(socket, requestTimeoutMs * 4)))
        t.equal(closed.filter(Boolean).length, sockets.length, 'every trickling connection was closed')
      } finally {
        clearInterval(trickle)
        for (const socket of sockets) socket.destroy()
      }
    })
    t.comment(`slowloris: resident memory grew by ${(grew / MEBIBYTE).toFixed(1)} MiB`)
    t.ok(grew < ATTACK_RSS_CEILING_BYTES)
    t.equal(forwardedBefore(), before + 1, 'only the ordinary call was forwarded')
  })

  t.test('header floods: 50 requests of 1,000 header fields each are refused with 431', async (t) => {
    const before = forwardedBefore()
    const flood = rawRequest(url, `POST /model/${CLAUDE_PATH_LABEL}/converse HTTP/1.1`, { connection: 'close', 'content-length': '0' })
      .replace(/\r\n\r\n$/, `\r\n${'f: 1\r\n'.repeat(1000)}\r\n`)
    const grew = await peakRssGrowth(async () => {
      const answers = await Promise.all(Array.from({ length: 50 }, () => exchangeRaw(url, flood)))
      for (const answer of answers) t.equal(parseResponse(answer).status, 431)
    })
    await assertContained(t, grew, before)
  })

  t.test('HTTP/2 rapid reset: 2,000 streams opened and cancelled at once', async (t) => {
    const before = forwardedBefore()
    const grew = await peakRssGrowth(async () => {
      const session = http2.connect(url)
      session.on('error', () => {})
      for (let i = 0; i < 2000 && !session.destroyed; i++) {
        const stream = session.request({ ':method': 'POST', ':path': `/model/${CLAUDE_PATH_LABEL}/converse` })
        stream.on('error', () => {})
        stream.close(http2.constants.NGHTTP2_CANCEL)
      }
      await sleep(500)
      session.destroy()
    })
    await assertContained(t, grew, before)
  })

  t.test('HTTP/2 CONTINUATION flood: a header block that never ends is refused past 32 KiB', async (t) => {
    const before = forwardedBefore()
    const socket = connectTcp(Number(port), hostname)
    socket.on('error', () => {})
    const grew = await peakRssGrowth(async () => {
      socket.write(Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1'), http2Frame(SETTINGS_FRAME, 0, 0, Buffer.alloc(0))]))
      // :method POST, :scheme http, :path / from the static table, then literal fields, never END_HEADERS.
      socket.write(http2Frame(HEADERS_FRAME, END_STREAM_FLAG, 1, Buffer.from([0x83, 0x86, 0x84])))
      const literalField = Buffer.concat([Buffer.from([0x00, 0x01]), Buffer.from('x'), Buffer.from([0x7f, 0x00]), Buffer.alloc(127, 0x61)])
      const block = Buffer.concat(Array.from({ length: 64 }, () => literalField))
      for (let i = 0; i < 200 && !socket.destroyed; i++) socket.write(http2Frame(CONTINUATION_FRAME, 0, 1, block))
      // Read (and drop) what the gateway answers, so that its closing the connection is seen.
      socket.resume()
      t.ok(await closedWithin(socket, 5000), 'the connection was closed')
    })
    socket.destroy()
    await assertContained(t, grew, before)
  })

  t.test('pipelining: ten signed requests written at once are answered in order, each once', async (t) => {
    const before = forwardedBefore()
    const one = await signedRawRequest(url, signedConverse('converse'))
    const keepAlive = one.replace('connection: close\r\n', '')
    const answer = await exchangeRaw(url, keepAlive.repeat(9) + one)
    const statusLines = answer.toString('latin1').match(/HTTP\/1\.1 \d{3}/g) ?? []
    t.same(statusLines, Array.from({ length: 10 }, () => 'HTTP/1.1 200'))
    t.equal(forwardedBefore(), before + 10)
  })
})

const SETTINGS_FRAME = 0x4
const HEADERS_FRAME = 0x1
const CONTINUATION_FRAME = 0x9
const END_STREAM_FLAG = 0x1

function http2Frame (type: number, flags: number, streamId: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(9)
  header.writeUIntBE(payload.length, 0, 3)
  header.writeUInt8(type, 3)
  header.writeUInt8(flags, 4)
  header.writeUInt32BE(streamId, 5)
  return Buffer.concat([header, payload])
}

/** Joins an HTTP/1.1 chunked body; throws when the terminating chunk is missing, as a client would fail. */
function dechunk (raw: Buffer): Buffer {
  const parts: Buffer[] = []
  let offset = 0
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', offset)
    if (lineEnd === -1) throw new Error('the chunked body ends without its last chunk')
    const size = Number.parseInt(raw.subarray(offset, lineEnd).toString('latin1'), 16)
    if (size === 0) return Buffer.concat(parts)
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size))
    offset = lineEnd + 2 + size + 2
  }
}
