import t, { type Test } from 'tap'
import { AbortNotice } from '../../src/upstream/abort-notice.ts'
import { createHash } from 'node:crypto'
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net'
import { once } from 'node:events'
import { setTimeout as sleep } from 'node:timers/promises'
import type { AwsCredentialIdentity } from '@smithy/types'
import type { UpstreamConfig } from '../../src/config/types.ts'
import { BedrockError } from '../../src/core/errors.ts'
import { createCredentialSource, type CredentialSource } from '../../src/upstream/credentials.ts'
import { createForwarder, type UpstreamRequest } from '../../src/upstream/forwarder.ts'
import { GATEWAY_USER_AGENT, upstreamRequestHeaders } from '../../src/upstream/header-policy.ts'
import { freeLoopbackPort } from '../support/free-loopback-port.ts'
import { startRecordingUpstream, type RecordingUpstream } from '../support/recording-upstream.ts'
import { eventFrame } from '../support/fake-bedrock/index.ts'

const issued: AwsCredentialIdentity[] = []
function issue (lifetimeMs: number): AwsCredentialIdentity {
  const credentials = {
    accessKeyId: `ASIAGATEWAY${issued.length}`,
    secretAccessKey: `gateway-secret-${issued.length}`,
    sessionToken: `gateway-token-${issued.length}`,
    expiration: new Date(Date.now() + lifetimeMs)
  }
  issued.push(credentials)
  return credentials
}
const lookupCredentials = (accessKeyId: string): AwsCredentialIdentity | undefined => issued.find((c) => c.accessKeyId === accessKeyId)
const longLived: CredentialSource = createCredentialSource({ sessionName: 'test', refreshBeforeExpirySeconds: 300 }, async () => issue(3_600_000))

const timeouts = { connectTimeoutMs: 2_000, headersTimeoutMs: 2_000, bodyIdleTimeoutMs: 2_000 }
const converseBody = Buffer.from(JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'Hello' }] }] }))
const CONVERSE_PATH = '/model/eu.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse'

function converse (overrides: Partial<UpstreamRequest> = {}): UpstreamRequest {
  return {
    api: 'bedrock-runtime',
    region: 'eu-west-2',
    method: 'POST',
    path: CONVERSE_PATH,
    query: '',
    headers: upstreamRequestHeaders({ 'content-type': 'application/json' }, 'Converse'),
    body: converseBody,
    bodySha256Hex: createHash('sha256').update(converseBody).digest('hex'),
    ...overrides
  }
}

let upstream: RecordingUpstream
t.before(async () => { upstream = await startRecordingUpstream(lookupCredentials) })
t.teardown(() => upstream.close())

function forwarderFor (config: Partial<UpstreamConfig> = {}, credentials = longLived) {
  const forwarder = createForwarder({ endpoint: upstream.origin, mantleEndpoint: upstream.origin, mantleSigningName: 'bedrock-mantle', agentRuntimeEndpoint: upstream.origin, ...timeouts, ...config }, credentials)
  t.teardown(() => forwarder.close())
  return forwarder
}

/** Asserts a failure is the expected Bedrock error and gives away nothing about the upstream or the credentials. */
function assertsBedrockFailure (t: Test, error: unknown, type: string, status: number): void {
  t.ok(error instanceof BedrockError, 'a BedrockError')
  t.match(error, { type, status })
  const message = (error as Error).message
  t.notMatch(message, /127\.0\.0\.1|http:|https:|localhost|gateway-secret|gateway-token|ASIAGATEWAY/)
}

t.test('a forged client header set reaches upstream as a request signed by the gateway, carrying only Bedrock\'s headers', async (t) => {
  const clientHeaders = {
    host: 'gateway.internal:8080',
    authorization: 'AWS4-HMAC-SHA256 Credential=GEOFENCELITELLM01/20261127/eu-west-2/bedrock/aws4_request, SignedHeaders=host, Signature=00',
    'x-amz-date': '20261127T120000Z',
    'x-amz-security-token': 'forged-session-token',
    'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
    'x-forwarded-host': 'evil.example',
    'x-forwarded-for': '203.0.113.9',
    forwarded: 'host=evil.example',
    cookie: 'session=abc',
    connection: 'keep-alive, x-amzn-bedrock-trace',
    'x-amzn-bedrock-trace': 'ENABLED',
    'x-amzn-bedrock-guardrailidentifier': 'gr-123',
    'amz-sdk-invocation-id': 'c0ffee',
    'user-agent': 'litellm/1.81.13',
    'content-type': 'application/json'
  }
  const path = '/model/anthropic.claude-3-5-sonnet-20241022-v2%3A0/invoke'
  const response = await forwarderFor().forward(converse({ path, headers: upstreamRequestHeaders(clientHeaders, 'InvokeModel') }), new AbortNotice())
  t.equal(response.status, 200)
  t.match(JSON.parse(Buffer.concat(await response.body.toArray()).toString()), { output: { message: { role: 'assistant' } } })

  const received = upstream.requests.at(-1)
  t.match(received?.signature, { ok: true, region: 'eu-west-2', accessKeyId: 'ASIAGATEWAY0', sessionToken: 'gateway-token-0' })
  t.equal(received?.target, path)
  t.same(received?.body, converseBody)
  const headers = received?.headers ?? {}
  t.same(Object.keys(headers).sort(), [
    'authorization', 'connection', 'content-length', 'content-type', 'host', 'user-agent', 'x-amz-content-sha256',
    'x-amz-date', 'x-amz-security-token', 'x-amzn-bedrock-guardrailidentifier'
  ], 'nothing else arrived (connection is undici\'s own keep-alive)')
  t.equal(headers['x-amz-security-token'], 'gateway-token-0')
  t.equal(headers['x-amz-content-sha256'], createHash('sha256').update(converseBody).digest('hex'))
  t.equal(headers.host, new URL(upstream.origin).host)
  t.equal(headers['user-agent'], GATEWAY_USER_AGENT)
  t.equal(headers.connection, 'keep-alive')
})

t.test('a header value with bytes beyond ASCII arrives byte for byte and its signature verifies over those bytes', async (t) => {
  // How node hands over a header sent as UTF-8: one latin1 character per byte ("Zürich" is 5a c3 bc 72 69 63 68).
  const metadata = Buffer.from('{"site":"Zürich"}', 'utf8').toString('latin1')
  const path = '/model/anthropic.claude-3-5-sonnet-20241022-v2%3A0/invoke'
  const clientHeaders = { 'content-type': 'application/json', 'x-amzn-bedrock-request-metadata': metadata }
  const response = await forwarderFor().forward(converse({ path, headers: upstreamRequestHeaders(clientHeaders, 'InvokeModel') }), new AbortNotice())
  await response.body.toArray()
  const received = upstream.requests.at(-1)
  t.match(received?.signature, { ok: true })
  t.same(Buffer.from(String(received?.headers['x-amzn-bedrock-request-metadata']), 'latin1'), Buffer.from('{"site":"Zürich"}', 'utf8'))
})

t.test('a GET with a query arrives with the canonical query it was signed with', async (t) => {
  const response = await forwarderFor().forward(converse({
    method: 'GET',
    path: '/async-invoke',
    query: 'statusEquals=Completed&nextToken=ab%2Bc%2F%3D&maxResults=5',
    headers: upstreamRequestHeaders({ accept: 'application/json' }, 'ListAsyncInvokes'),
    body: Buffer.alloc(0),
    bodySha256Hex: createHash('sha256').update('').digest('hex')
  }), new AbortNotice())
  await response.body.toArray()
  const received = upstream.requests.at(-1)
  t.equal(received?.target, '/async-invoke?maxResults=5&nextToken=ab%2Bc%2F%3D&statusEquals=Completed')
  t.match(received?.signature, { ok: true })
})

t.test('credentials rotate under steady traffic and no request is ever signed with expired ones', async (t) => {
  const firstNew = issued.length
  const source = createCredentialSource({ sessionName: 'test', refreshBeforeExpirySeconds: 2 }, async () => issue(3_000))
  t.teardown(() => source.stop())
  await source.start()
  const forwarder = forwarderFor({}, source)
  const firstRequest = upstream.requests.length
  const stopAt = Date.now() + 4_000
  while (Date.now() < stopAt) {
    const response = await forwarder.forward(converse(), new AbortNotice())
    await response.body.toArray()
    await sleep(20)
  }
  const received = upstream.requests.slice(firstRequest)
  t.ok(received.length > 100, `${received.length} requests sent`)
  // The verifier answers ExpiredTokenException for credentials whose expiry has passed when the request arrives.
  t.same(received.filter((request) => !request.signature.ok).map((request) => request.signature), [], 'every request verified')
  const keysUsed = new Set(received.map((request) => request.signature.accessKeyId))
  t.ok(keysUsed.size >= 3, `${keysUsed.size} successive credentials used`)
  t.ok(issued.length - firstNew <= 5, `${issued.length - firstNew} fetches for ${received.length} requests`)
})

t.test('no listener on the upstream port: 503 ServiceUnavailableException', async (t) => {
  const port = await freeLoopbackPort()
  const forwarder = forwarderFor({ endpoint: `http://127.0.0.1:${port}` })
  const error = await forwarder.forward(converse(), new AbortNotice()).catch((e: unknown) => e)
  assertsBedrockFailure(t, error, 'ServiceUnavailableException', 503)
})

t.test('a TLS handshake that never completes: connect timeout, 503 ServiceUnavailableException', async (t) => {
  const silent: Server = createNetServer(() => {}).listen(0, '127.0.0.1')
  await once(silent, 'listening')
  t.teardown(() => { silent.close() })
  const forwarder = forwarderFor({ endpoint: `https://127.0.0.1:${(silent.address() as AddressInfo).port}`, connectTimeoutMs: 300 })
  const error = await forwarder.forward(converse(), new AbortNotice()).catch((e: unknown) => e)
  assertsBedrockFailure(t, error, 'ServiceUnavailableException', 503)
  t.match((error as Error).message, /UND_ERR_CONNECT_TIMEOUT/)
})

t.test('no response headers within upstream.headersTimeoutMs: 504 ModelTimeoutException', async (t) => {
  upstream.respond = () => {}
  t.teardown(() => { upstream.respond = (_request, res) => res.end() })
  const forwarder = forwarderFor({ headersTimeoutMs: 300 })
  const error = await forwarder.forward(converse(), new AbortNotice()).catch((e: unknown) => e)
  assertsBedrockFailure(t, error, 'ModelTimeoutException', 504)
})

t.test('the connection drops before a response: 502 InternalServerException', async (t) => {
  upstream.respond = (request) => request.socket.destroy()
  t.teardown(() => { upstream.respond = (_request, res) => res.end() })
  const error = await forwarderFor().forward(converse(), new AbortNotice()).catch((e: unknown) => e)
  assertsBedrockFailure(t, error, 'InternalServerException', 502)
})

t.test('no credentials at all: 503 ServiceUnavailableException and nothing is sent', async (t) => {
  const broken = createCredentialSource({ sessionName: 'test', refreshBeforeExpirySeconds: 2 }, async () => { throw new Error('no IMDS here') })
  const before = upstream.requests.length
  const error = await forwarderFor({}, broken).forward(converse(), new AbortNotice()).catch((e: unknown) => e)
  assertsBedrockFailure(t, error, 'ServiceUnavailableException', 503)
  t.equal(upstream.requests.length, before)
})

t.test('a caller that goes away before the response aborts the upstream request and closes its connection', async (t) => {
  const arrived = new Promise<Socket>((resolve) => { upstream.respond = (request) => resolve(request.socket) })
  t.teardown(() => { upstream.respond = (_request, res) => res.end() })
  const abort = new AbortNotice()
  const forwarded = forwarderFor().forward(converse(), abort)
  const socket = await arrived
  abort.abort(new Error('caller disconnected'))
  await t.rejects(forwarded, { message: 'caller disconnected' })
  await t.resolves(Promise.race([once(socket, 'close'), sleep(1_000).then(() => { throw new Error('upstream connection still open after 1 s') })]))
})

t.test('200 concurrent streams are all open upstream at the same time: the pool has no connection cap', async (t) => {
  const STREAMS = 200
  const held: (() => void)[] = []
  let allArrived: () => void = () => {}
  const arrived = new Promise<void>((resolve) => { allArrived = resolve })
  upstream.respond = (_request, res) => {
    res.writeHead(200, { 'content-type': 'application/vnd.amazon.eventstream' })
    res.write(eventFrame('messageStart', { role: 'assistant' }))
    held.push(() => res.end(eventFrame('messageStop', { stopReason: 'end_turn' })))
    if (held.length === STREAMS) allArrived()
  }
  t.teardown(() => { upstream.respond = (_request, res) => res.end() })
  const forwarder = forwarderFor({ bodyIdleTimeoutMs: 30_000 })
  const streams = Array.from({ length: STREAMS }, () => forwarder.forward(converse({ path: CONVERSE_PATH.replace('/converse', '/converse-stream') }), new AbortNotice()))
  // A capped pool never gets here: the streams beyond the cap wait for the first ones, which wait for this.
  await t.resolves(Promise.race([arrived, sleep(10_000).then(() => { throw new Error(`only ${held.length} of ${STREAMS} streams reached upstream`) })]))
  for (const release of held) release()
  const responses = await Promise.all(streams)
  t.ok(responses.every((response) => response.status === 200))
  await Promise.all(responses.map((response) => response.body.toArray()))
})
