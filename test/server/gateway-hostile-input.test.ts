import { connect as connectHttp2, type IncomingHttpHeaders as Http2Headers } from 'node:http2'
import { connect as connectTcp } from 'node:net'
import t, { type Test } from 'tap'
import { ConverseCommand, type ServiceInputTypes, type ServiceOutputTypes } from '@aws-sdk/client-bedrock-runtime'
import type { HttpRequest } from '@smithy/protocol-http'
import type { BuildMiddleware } from '@smithy/types'
import { sendSigned, signedHeaders, type RawResponse, type SignedRequest } from '../support/fake-bedrock/index.ts'
import { SDK_TRANSPORTS, assertBedrockError, gatewayClient, inProcessLimitsYaml, leakedHeaders } from '../support/gateway-clients.ts'
import { SIGV4_CLIENT, startGatewayHarness, type GatewayHarness } from '../support/gateway-harness.ts'
import { exchangeRaw, parseResponse, rawRequest } from '../support/raw-http1.ts'

const CLAUDE = 'anthropic.claude-3-haiku-20240307-v1:0'
const CONVERSE_PATH = '/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse'
const MESSAGES = [{ role: 'user' as const, content: [{ text: 'hi' }] }]
const CONVERSE_BODY = JSON.stringify({ messages: MESSAGES })
const MAX_BODY_BYTES = 1000
const SMALL_BODY_LIMIT = inProcessLimitsYaml({ maxBodyBytes: MAX_BODY_BYTES })
/** The gateway's request-header limit is 32 KiB; this is comfortably over it and under Node's own hard limits. */
const OVERSIZED_HEADER_VALUE = 'a'.repeat(40 * 1024)
const FORGED_HOST = 'bedrock-runtime.eu-central-1.amazonaws.com'
const SIX_MINUTES_MS = 6 * 60 * 1000

const converseRequest: SignedRequest = {
  method: 'POST',
  path: CONVERSE_PATH,
  region: 'us-east-1',
  credentials: SIGV4_CLIENT,
  headers: { 'content-type': 'application/json' },
  body: CONVERSE_BODY
}

interface Http2Outcome {
  readonly status?: number
  /** The stream error the gateway's side ended the stream with, when it gave no answer. */
  readonly error?: string
}

/** One HTTP/2 request on a fresh session, sent once the gateway's SETTINGS (its limits) have arrived. */
function sendHttp2 (url: string, headers: Http2Headers, body: string): Promise<Http2Outcome> {
  return new Promise((resolve, reject) => {
    const session = connectHttp2(url)
    session.on('error', reject)
    session.once('remoteSettings', () => {
      const stream = session.request({ ':method': 'POST', ...headers })
      let outcome: Http2Outcome = {}
      stream.on('response', (responseHeaders) => { outcome = { status: responseHeaders[':status'] } })
      stream.on('error', (error) => { outcome = { ...outcome, error: error.message } })
      stream.on('close', () => {
        session.close()
        resolve(outcome)
      })
      stream.resume()
      stream.end(body)
    })
  })
}

/**
 * A signed converse request's authentication headers, so that a raw request with another body gets past the checks
 * made before the body is read and meets the body's own.
 */
async function authenticationHeaders (url: string): Promise<Record<string, string>> {
  const { authorization = '', 'x-amz-date': amzDate = '' } = await signedHeaders(url, converseRequest)
  return { authorization, 'x-amz-date': amzDate }
}

/** The fake saw none of the hostile traffic, and the gateway still serves an ordinary signed call. */
async function assertNothingForwardedAndStillServing (t: Test, { fake, gateway }: GatewayHarness): Promise<void> {
  t.equal(fake.requests.length, 0, 'the fake Bedrock recorded nothing')
  const response = await sendSigned(gateway.url, converseRequest)
  t.equal(response.status, 200, 'an ordinary call afterwards is served')
  t.equal(fake.requests.length, 1)
}

interface RefusedCase {
  readonly title: string
  readonly send: (url: string) => Promise<RawResponse>
  readonly status: number
  readonly error: string
}

const REFUSED: RefusedCase[] = [
  {
    title: 'Content-Length together with Transfer-Encoding (request smuggling)',
    send: async (url) => parseResponse(await exchangeRaw(url, rawRequest(url, `POST ${CONVERSE_PATH} HTTP/1.1`,
      { 'content-length': '5', 'transfer-encoding': 'chunked' }, '0\r\n\r\n'))),
    status: 400,
    error: 'ValidationException'
  },
  {
    title: `a body over limits.maxBodyBytes (${MAX_BODY_BYTES}) with a Content-Length`,
    send: async (url) => sendSigned(url, { ...converseRequest, body: JSON.stringify({ messages: MESSAGES, pad: 'x'.repeat(MAX_BODY_BYTES) }) }),
    status: 413,
    error: 'ValidationException'
  },
  {
    title: 'a chunked body that grows over limits.maxBodyBytes',
    send: async (url) => parseResponse(await exchangeRaw(url, rawRequest(url, `POST ${CONVERSE_PATH} HTTP/1.1`,
      { ...await authenticationHeaders(url), 'transfer-encoding': 'chunked', connection: 'close' },
      `${(2 * MAX_BODY_BYTES).toString(16)}\r\n${'x'.repeat(2 * MAX_BODY_BYTES)}\r\n0\r\n\r\n`))),
    status: 413,
    error: 'ValidationException'
  },
  {
    title: 'request headers over 32 KiB',
    send: async (url) => parseResponse(await exchangeRaw(url, rawRequest(url, `POST ${CONVERSE_PATH} HTTP/1.1`,
      { 'x-padding': OVERSIZED_HEADER_VALUE, 'content-length': '0' }))),
    status: 431,
    error: 'ValidationException'
  },
  {
    title: 'a body shorter than its Content-Length, the sender then closing its side',
    send: async (url) => parseResponse(await exchangeRaw(url, rawRequest(url, `POST ${CONVERSE_PATH} HTTP/1.1`,
      { ...await authenticationHeaders(url), 'content-length': '100' }, 'x'.repeat(50)), true)),
    status: 400,
    error: 'ValidationException'
  },
  {
    title: 'invalid UTF-8 in the path (%C3%28)',
    send: async (url) => sendSigned(url, { ...converseRequest, path: '/model/%C3%28/converse' }),
    status: 400,
    error: 'ValidationException'
  },
  {
    title: 'a bad percent-escape in the path (%ZZ)',
    send: async (url) => sendSigned(url, { ...converseRequest, path: '/model/anthropic%ZZ/converse' }),
    status: 400,
    error: 'ValidationException'
  },
  {
    title: 'a raw non-ASCII byte in the path',
    send: async (url) => parseResponse(await exchangeRaw(url, Buffer.concat([
      Buffer.from('POST /model/anthropic.claude', 'latin1'), Buffer.from([0xff]),
      Buffer.from(rawRequest(url, '/converse HTTP/1.1', { 'content-length': '0' }), 'latin1')
    ]))),
    status: 400,
    error: 'ValidationException'
  },
  {
    title: 'a replayed request whose x-amz-date is six minutes old',
    send: async (url) => sendSigned(url, { ...converseRequest, signingDate: new Date(Date.now() - SIX_MINUTES_MS) }),
    status: 403,
    error: 'InvalidSignatureException'
  },
  {
    title: 'a credential scope for us-east-1 behind an /eu-west-2 path prefix',
    send: async (url) => sendSigned(url, { ...converseRequest, path: `/eu-west-2${CONVERSE_PATH}` }),
    status: 403,
    error: 'InvalidSignatureException'
  },
  {
    title: 'a double-encoded slash in an ARN model id (%252F)',
    send: async (url) => sendSigned(url, {
      ...converseRequest,
      path: '/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A111122223333%3Ainference-profile%252Fus.anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse'
    }),
    status: 400,
    error: 'ValidationException'
  },
  {
    title: 'an encoded dot segment as the model id (%2E%2E)',
    send: async (url) => sendSigned(url, { ...converseRequest, path: '/model/%2E%2E/converse' }),
    status: 400,
    error: 'ValidationException'
  },
  {
    title: 'an encoded dot segment climbing out of the model id (%2e%2e%2f)',
    send: async (url) => sendSigned(url, { ...converseRequest, path: '/model/%2e%2e%2fasync-invoke/converse' }),
    status: 400,
    error: 'ValidationException'
  },
  {
    title: 'an encoded dot segment before the operation path (/%2e%2e/model/...)',
    send: async (url) => sendSigned(url, { ...converseRequest, path: `/%2e%2e${CONVERSE_PATH}` }),
    status: 404,
    error: 'UnknownOperationException'
  }
]

for (const refused of REFUSED) {
  t.test(`${refused.title}: ${refused.status} ${refused.error}, nothing forwarded, the gateway keeps serving`, async (t) => {
    const harness = await startGatewayHarness(t, { extraYaml: SMALL_BODY_LIMIT })
    assertBedrockError(t, await refused.send(harness.gateway.url), refused.status, refused.error)
    await assertNothingForwardedAndStillServing(t, harness)
  })
}

t.test('a sender that disconnects halfway through its body: nothing forwarded, the gateway keeps serving', async (t) => {
  const harness = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
  const { hostname, port } = new URL(harness.gateway.url)
  const socket = connectTcp(Number(port), hostname)
  socket.write(rawRequest(harness.gateway.url, `POST ${CONVERSE_PATH} HTTP/1.1`, { 'content-length': '100' }, 'x'.repeat(50)))
  await new Promise((resolve) => setTimeout(resolve, 50))
  socket.destroy()
  await assertNothingForwardedAndStillServing(t, harness)
})

t.test('HTTP/2 request headers over 32 KiB: the stream is refused, nothing forwarded, the gateway keeps serving', async (t) => {
  const harness = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
  const outcome = await sendHttp2(harness.gateway.url, { ':path': CONVERSE_PATH, 'x-padding': OVERSIZED_HEADER_VALUE }, '')
  t.equal(outcome.status, undefined, 'no answer')
  t.match(outcome.error, /NGHTTP2_ENHANCE_YOUR_CALM|NGHTTP2_REFUSED_STREAM/)
  await assertNothingForwardedAndStillServing(t, harness)
})

t.test('an HTTP/2 body shorter than its content-length: the stream fails, nothing forwarded, the gateway keeps serving', async (t) => {
  const harness = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
  const outcome = await sendHttp2(harness.gateway.url, { ':path': CONVERSE_PATH, 'content-length': '100' }, 'x'.repeat(50))
  t.equal(outcome.status, undefined, 'no answer')
  t.match(outcome.error, /NGHTTP2_PROTOCOL_ERROR/)
  await assertNothingForwardedAndStillServing(t, harness)
})

for (const transport of SDK_TRANSPORTS) {
  t.test(`over ${transport}: a forged host, x-forwarded-*, cookie and x-amz-security-token neither steer nor reach Bedrock`, async (t) => {
    const { fake, gateway } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
    const client = gatewayClient(t, transport, gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
    const forgeHeaders: BuildMiddleware<ServiceInputTypes, ServiceOutputTypes> = (next) => async (args) => {
      const { headers } = args.request as HttpRequest
      headers[transport === 'HTTP/1.1 (NodeHttpHandler)' ? 'host' : ':authority'] = FORGED_HOST
      Object.assign(headers, {
        'x-forwarded-host': FORGED_HOST,
        'x-forwarded-for': '203.0.113.7',
        'x-forwarded-proto': 'https',
        forwarded: `host=${FORGED_HOST}`,
        cookie: 'session=stolen',
        'x-amz-security-token': 'forged-session-token'
      })
      return next(args)
    }
    // After the SDK's own host header and before it signs: the gateway sees a validly signed request naming another host.
    client.middlewareStack.addRelativeTo(forgeHeaders, { relation: 'after', toMiddleware: 'hostHeaderMiddleware' })
    await client.send(new ConverseCommand({ modelId: CLAUDE, messages: MESSAGES }))
    const [record] = fake.requests
    t.equal(fake.requests.length, 1)
    t.equal(record?.headers.host, new URL(fake.url).host, 'the configured upstream was called, whatever host the caller named')
    t.match(record?.signature, { ok: true, region: 'us-east-1' })
    t.same(record === undefined ? undefined : leakedHeaders(record), [], 'none of the forged headers reached Bedrock')
  })
}
