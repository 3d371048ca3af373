import t from 'tap'
import { decodeFrames, sendSigned, signedHeaders, type SignedRequest } from '../support/fake-bedrock/index.ts'
import { assertBedrockError, inProcessLimitsYaml } from '../support/gateway-clients.ts'
import { SIGV4_CLIENT, startGatewayHarness } from '../support/gateway-harness.ts'
import { exchangeRaw, parseResponse, rawRequest } from '../support/raw-http1.ts'

const CLAUDE_PATH_LABEL = 'anthropic.claude-3-haiku-20240307-v1%3A0'
const CONVERSE_BODY = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'hi' }] }] })
/** The gateway's documented limit on header fields in one request, for HTTP/1.1 as for HTTP/2. */
const MAX_HEADER_FIELDS = 256

function converse (operation: 'converse' | 'converse-stream'): SignedRequest {
  return {
    method: 'POST',
    path: `/model/${CLAUDE_PATH_LABEL}/${operation}`,
    region: 'us-east-1',
    credentials: SIGV4_CLIENT,
    headers: { 'content-type': 'application/json' },
    body: CONVERSE_BODY
  }
}

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
    const response = parseResponse(await exchangeRaw(url, await signedRawRequest(url, converse('converse')), true))
    t.equal(response.status, 200)
    t.match(JSON.parse(response.body.toString('utf8')), { output: { message: { role: 'assistant' } } })
    t.equal(harness.fake.requests.length, before + 1, 'forwarded once')
  })

  t.test('a stream: every frame arrives, and nothing is cut', async (t) => {
    const response = parseResponse(await exchangeRaw(url, await signedRawRequest(url, converse('converse-stream')), true))
    t.equal(response.status, 200)
    t.equal(response.headers['transfer-encoding'], 'chunked')
    const body = dechunk(response.body)
    const frames = decodeFrames(body)
    t.ok(frames.length > 1, 'frames arrived')
    t.equal(frames.at(-1)?.headers[':event-type'], 'metadata', 'the last frame is the usage event')
  })

  t.test('a denied call is still answered', async (t) => {
    const before = harness.fake.requests.length
    const response = parseResponse(await exchangeRaw(url, await signedRawRequest(url, { ...converse('converse'), region: 'eu-central-1' }), true))
    assertBedrockError(t, response, 403, 'AccessDeniedException')
    t.equal(harness.fake.requests.length, before, 'nothing forwarded')
  })
})

t.test(`header fields: a request with more than ${MAX_HEADER_FIELDS} is refused whole, never served with some dropped`, async (t) => {
  const harness = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
  const url = harness.gateway.url
  for (const count of [MAX_HEADER_FIELDS + 1, 2100]) {
    const padding = Array.from({ length: count }, () => 'p: 1')
    const response = parseResponse(await exchangeRaw(url, await signedRawRequest(url, converse('converse'), padding)))
    assertBedrockError(t, response, 431, 'ValidationException')
    t.match(JSON.parse(response.body.toString('utf8')).message, `more than ${MAX_HEADER_FIELDS} header fields`)
  }
  t.equal(harness.fake.requests.length, 0, 'nothing forwarded')
  const withinLimit = parseResponse(await exchangeRaw(url, await signedRawRequest(url, converse('converse'), Array.from({ length: 200 }, () => 'p: 1'))))
  t.equal(withinLimit.status, 200, 'a request within the limit is served')
  t.equal((await sendSigned(url, converse('converse'))).status, 200, 'the gateway keeps serving')
})

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
