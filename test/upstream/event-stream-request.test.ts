import http2 from 'node:http2'
import net, { type AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import { openUpstreamEventStream } from '../../src/upstream/event-stream-request.ts'
import { createOriginResolver } from '../../src/upstream/upstream-origin.ts'
import { EventSignatureChain } from '../../src/sigv4/event-signature.ts'
import { createSigningKeyCache } from '../../src/sigv4/signature.ts'

const LIMITS = { connectTimeoutMs: 2000, headersTimeoutMs: 2000 }
const SIGNED = {
  headers: { host: 'placeholder', authorization: 'AWS4-HMAC-SHA256 Credential=A/20261207/us-east-1/bedrock/aws4_request, SignedHeaders=host, Signature=00' },
  chain: new EventSignatureChain({ seed: '00', secret: 's', region: 'us-east-1', service: 'bedrock' }, createSigningKeyCache(1))
}

async function h2Server (t: Test, onStream: (stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders) => void): Promise<string> {
  const server = http2.createServer()
  const sessions = new Set<http2.ServerHttp2Session>()
  server.on('session', (session) => sessions.add(session))
  server.on('stream', onStream)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { for (const session of sessions) session.destroy(); server.close() })
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

t.test('the request goes out over HTTP/2 with the signed headers, the host as :authority, and the response resolves', async (t) => {
  let received: http2.IncomingHttpHeaders | undefined
  const url = await h2Server(t, (stream, headers) => {
    received = headers
    stream.respond({ ':status': 200, 'content-type': 'application/vnd.amazon.eventstream' })
    stream.end()
  })
  const origin = createOriginResolver(url)('us-east-1')
  const opened = openUpstreamEventStream(origin, '/model/x/invoke-with-bidirectional-stream', { ...SIGNED, headers: { ...SIGNED.headers, host: origin.host } }, LIMITS, 'us-east-1')
  t.teardown(() => opened.close())
  const response = await opened.response
  t.equal(response.status, 200)
  t.equal(received?.[':method'], 'POST')
  t.equal(received?.[':path'], '/model/x/invoke-with-bidirectional-stream')
  t.equal(received?.[':authority'], origin.host)
  t.equal(received?.authorization, SIGNED.headers.authorization)
  t.equal(received?.host, undefined, 'no second copy of the authority')
})

t.test('no connection is ServiceUnavailableException', async (t) => {
  const closed = net.createServer()
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
  const { port } = closed.address() as AddressInfo
  await new Promise<void>((resolve) => closed.close(() => resolve()))
  const origin = createOriginResolver(`http://127.0.0.1:${port}`)('us-east-1')
  const opened = openUpstreamEventStream(origin, '/', SIGNED, LIMITS, 'us-east-1')
  await t.rejects(opened.response, { name: 'ServiceUnavailableException', message: /us-east-1/ })
})

t.test('no response headers within upstream.headersTimeoutMs is ModelTimeoutException with status 504', async (t) => {
  const url = await h2Server(t, () => {})
  const opened = openUpstreamEventStream(createOriginResolver(url)('us-east-1'), '/', SIGNED, { ...LIMITS, headersTimeoutMs: 50 }, 'us-east-1')
  await t.rejects(opened.response, { name: 'ModelTimeoutException', status: 504 })
})

t.test('a stream reset before its response is InternalServerException with status 502', async (t) => {
  const url = await h2Server(t, (stream) => {
    // Closing with an error code is an error on this side too.
    stream.on('error', () => {})
    stream.close(http2.constants.NGHTTP2_REFUSED_STREAM)
  })
  const opened = openUpstreamEventStream(createOriginResolver(url)('us-east-1'), '/', SIGNED, LIMITS, 'us-east-1')
  await t.rejects(opened.response, { name: 'InternalServerException', status: 502 })
})
