import t, { type Test } from 'tap'
import { FAKE_UPSTREAM_CREDENTIALS, sendSigned } from '../support/fake-bedrock/index.ts'
import { assertBedrockError, inProcessLimitsYaml } from '../support/gateway-clients.ts'
import { startGatewayHarness, type GatewayHarness } from '../support/gateway-harness.ts'
import { CLAUDE_PATH_LABEL, signedConverse } from '../support/signed-converse.ts'
import { exchangeRaw, parseResponse, rawRequest } from '../support/raw-http1.ts'
import { startRecordingUpstream } from '../support/recording-upstream.ts'

const CONVERSE_PATH = `/model/${CLAUDE_PATH_LABEL}/converse`
const AUDIT_MESSAGE = 'bedrock request'

const converseRequest = signedConverse()

function auditLines (harness: GatewayHarness): Array<Record<string, unknown>> {
  return harness.logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === AUDIT_MESSAGE)
}

/** One raw HTTP/1.1 exchange on a fresh connection, which the gateway is asked to close after answering. */
async function sendRawLine (harness: GatewayHarness, requestLine: string, headers: Record<string, string> = {}, body = '') {
  const url = harness.gateway.url
  return parseResponse(await exchangeRaw(url, rawRequest(url, requestLine, { connection: 'close', 'content-length': String(body.length), ...headers }, body)))
}

/** The request left exactly one audit line, naming the error the caller got, and nothing reached Bedrock. */
function assertOneAuditLine (t: Test, harness: GatewayHarness, before: number, status: number, errorType: string): void {
  const added = auditLines(harness).slice(before)
  t.equal(added.length, 1, 'exactly one audit line')
  t.match(added[0], { status, errorType })
}

t.test('methods Bedrock does not use are refused in Bedrock\'s shape, each with its audit line', async (t) => {
  const harness = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
  for (const method of ['PROPFIND', 'MKCOL', 'PURGE', 'LOCK', 'DELETE', 'PUT']) {
    const before = auditLines(harness).length
    const response = await sendRawLine(harness, `${method} ${CONVERSE_PATH} HTTP/1.1`)
    assertBedrockError(t, response, 403, 'AccessDeniedException')
    assertOneAuditLine(t, harness, before, 403, 'AccessDeniedException')
  }
  const before = auditLines(harness).length
  // Bodies of methods outside Fastify's routable set are never read, so this one is signed without one.
  const { body: _body, ...withoutBody } = converseRequest
  const signed = await sendSigned(harness.gateway.url, { ...withoutBody, method: 'PROPFIND' })
  assertBedrockError(t, signed, 404, 'UnknownOperationException')
  assertOneAuditLine(t, harness, before, 404, 'UnknownOperationException')
  t.equal(harness.fake.requests.length, 0, 'nothing forwarded')
})

t.test('requests node\'s parser refuses get a Bedrock-shaped answer that says why, and an audit line', async (t) => {
  const harness = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
  const cases: ReadonlyArray<{ title: string, line: string, headers: Record<string, string>, message: RegExp }> = [
    { title: 'a lower-case method', line: `post ${CONVERSE_PATH} HTTP/1.1`, headers: {}, message: /method/ },
    { title: 'a duplicated Content-Length', line: `POST ${CONVERSE_PATH} HTTP/1.1`, headers: { 'Content-Length': '2' }, message: /one Content-Length/ },
    { title: 'Content-Length with Transfer-Encoding', line: `POST ${CONVERSE_PATH} HTTP/1.1`, headers: { 'transfer-encoding': 'chunked' }, message: /Content-Length and Transfer-Encoding/ }
  ]
  for (const { title, line, headers, message } of cases) {
    const before = auditLines(harness).length
    const response = await sendRawLine(harness, line, headers, '{}')
    assertBedrockError(t, response, 400, 'ValidationException')
    t.match(JSON.parse(response.body.toString('utf8')).message, message, title)
    assertOneAuditLine(t, harness, before, 400, 'ValidationException')
  }
  t.equal(harness.fake.requests.length, 0, 'nothing forwarded')
})

t.test('a path the framework cannot decode is refused with its audit line', async (t) => {
  const harness = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
  const before = auditLines(harness).length
  const response = await sendRawLine(harness, 'GET /model/%zz/converse HTTP/1.1')
  assertBedrockError(t, response, 400, 'ValidationException')
  assertOneAuditLine(t, harness, before, 400, 'ValidationException')
})

t.test('an upstream error answer that is not Bedrock-shaped (an HTML 502 from a proxy) reaches the caller in Bedrock\'s shape', async (t) => {
  const upstream = await startRecordingUpstream((key) => key === FAKE_UPSTREAM_CREDENTIALS.accessKeyId ? FAKE_UPSTREAM_CREDENTIALS : undefined)
  t.teardown(() => upstream.close())
  const harness = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml(), upstreamEndpoint: upstream.origin })
  const answers = [
    { status: 502, contentType: 'text/html', body: '<html><body>Bad Gateway</body></html>', errorType: 'InternalServerException' },
    { status: 503, contentType: 'text/html', body: '<html>unavailable</html>', errorType: 'ServiceUnavailableException' },
    { status: 429, contentType: 'text/plain', body: 'slow down', errorType: 'ThrottlingException' },
    { status: 403, contentType: 'text/html', body: '<html>forbidden by the proxy</html>', errorType: 'AccessDeniedException' }
  ]
  for (const answer of answers) {
    upstream.respond = (_request, res) => {
      res.writeHead(answer.status, { 'content-type': answer.contentType })
      res.end(answer.body)
    }
    const before = auditLines(harness).length
    const response = await sendSigned(harness.gateway.url, converseRequest)
    assertBedrockError(t, response, answer.status, answer.errorType)
    t.notMatch(response.body.toString('utf8'), /html|slow down/, 'the proxy\'s page is not passed on')
    const added = auditLines(harness).slice(before)
    t.equal(added.length, 1)
    t.match(added[0], { status: answer.status, upstreamStatus: answer.status, errorType: answer.errorType, upstreamContentType: answer.contentType })
  }
  upstream.respond = (_request, res) => {
    res.writeHead(429, { 'content-type': 'application/json', 'x-amzn-errortype': 'ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/' })
    res.end(JSON.stringify({ message: 'Too many requests, please wait before trying again.' }))
  }
  const bedrockShaped = await sendSigned(harness.gateway.url, converseRequest)
  t.equal(bedrockShaped.status, 429)
  t.match(bedrockShaped.headers['x-amzn-errortype'], /^ThrottlingException/, 'Bedrock\'s own error passes through unchanged')
  t.equal(JSON.parse(bedrockShaped.body.toString('utf8')).message, 'Too many requests, please wait before trying again.')
})
