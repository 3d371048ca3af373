import t from 'tap'
import { GATEWAY_USER_AGENT, clientResponseHeaders, upstreamRequestHeaders } from '../../src/upstream/header-policy.ts'

/** What LiteLLM, botocore and the JS SDK send, plus everything a hostile or confused caller could add. */
const hostileClientHeaders = {
  host: 'gateway.internal:8080',
  authorization: 'AWS4-HMAC-SHA256 Credential=GEOFENCELITELLM01/20261127/eu-west-2/bedrock/aws4_request, SignedHeaders=host, Signature=00',
  'x-amz-date': '20261127T120000Z',
  'x-amz-security-token': 'forged-session-token',
  'x-amz-content-sha256': 'UNSIGNED-PAYLOAD',
  'x-amz-user-agent': 'aws-sdk-js/3',
  'amz-sdk-invocation-id': 'c0ffee',
  'amz-sdk-request': 'attempt=1; max=3',
  'x-forwarded-host': 'evil.example',
  'x-forwarded-for': '203.0.113.9',
  'x-forwarded-proto': 'https',
  forwarded: 'for=203.0.113.9;host=evil.example',
  via: '1.1 some-proxy',
  cookie: 'session=abc',
  te: 'trailers',
  upgrade: 'h2c',
  'proxy-authorization': 'Basic Zm9vOmJhcg==',
  'keep-alive': 'timeout=5',
  'transfer-encoding': 'chunked',
  'content-length': '1234',
  'accept-encoding': 'gzip',
  'user-agent': 'litellm/1.81.13',
  'x-amzn-trace-id': 'Root=1-abc',
  'content-type': 'application/json',
  accept: 'application/json'
}

t.test('a Converse request keeps only content-type and accept, and gets the gateway user agent', async (t) => {
  t.same(upstreamRequestHeaders(hostileClientHeaders, 'Converse'), {
    'content-type': 'application/json',
    accept: 'application/json',
    'user-agent': GATEWAY_USER_AGENT
  })
})

t.test('InvokeModel forwards its header parameters', async (t) => {
  const headers = upstreamRequestHeaders({
    ...hostileClientHeaders,
    'x-amzn-bedrock-trace': 'ENABLED',
    'x-amzn-bedrock-guardrailidentifier': 'gr-123',
    'x-amzn-bedrock-guardrailversion': '3',
    'x-amzn-bedrock-performanceconfig-latency': 'optimized',
    'x-amzn-bedrock-service-tier': 'priority',
    'x-amzn-bedrock-request-metadata': '{"team":"search"}'
  }, 'InvokeModel')
  t.same(headers, {
    'content-type': 'application/json',
    accept: 'application/json',
    'x-amzn-bedrock-trace': 'ENABLED',
    'x-amzn-bedrock-guardrailidentifier': 'gr-123',
    'x-amzn-bedrock-guardrailversion': '3',
    'x-amzn-bedrock-performanceconfig-latency': 'optimized',
    'x-amzn-bedrock-service-tier': 'priority',
    'x-amzn-bedrock-request-metadata': '{"team":"search"}',
    'user-agent': GATEWAY_USER_AGENT
  })
})

t.test('X-Amzn-Bedrock-Accept goes upstream only for InvokeModelWithResponseStream', async (t) => {
  const clientHeaders = { 'content-type': 'application/json', 'x-amzn-bedrock-accept': '*/*' }
  t.equal(upstreamRequestHeaders(clientHeaders, 'InvokeModelWithResponseStream')['x-amzn-bedrock-accept'], '*/*')
  t.notOk('x-amzn-bedrock-accept' in upstreamRequestHeaders(clientHeaders, 'InvokeModel'))
})

t.test('invoke header parameters are not forwarded for operations that do not define them', async (t) => {
  const headers = upstreamRequestHeaders({ 'x-amzn-bedrock-guardrailidentifier': 'gr-123', 'x-amzn-bedrock-trace': 'ENABLED' }, 'ConverseStream')
  t.same(headers, { 'user-agent': GATEWAY_USER_AGENT })
})

t.test('a header the caller names in Connection is dropped even when Bedrock defines it', async (t) => {
  const headers = upstreamRequestHeaders({
    connection: 'keep-alive, X-Amzn-Bedrock-Trace',
    'x-amzn-bedrock-trace': 'ENABLED',
    'content-type': 'application/json'
  }, 'InvokeModel')
  t.same(headers, { 'content-type': 'application/json', 'user-agent': GATEWAY_USER_AGENT })
})

t.test('header names are matched whatever their case', async (t) => {
  const headers = upstreamRequestHeaders({ 'Content-Type': 'application/json', 'X-Amz-Security-Token': 'forged' }, 'Converse')
  t.same(headers, { 'content-type': 'application/json', 'user-agent': GATEWAY_USER_AGENT })
})

t.test('request metadata longer than 8,500 characters is refused with a ValidationException', async (t) => {
  t.doesNotThrow(() => upstreamRequestHeaders({ 'x-amzn-bedrock-request-metadata': 'a'.repeat(8500) }, 'InvokeModel'))
  t.throws(() => upstreamRequestHeaders({ 'x-amzn-bedrock-request-metadata': 'a'.repeat(8501) }, 'InvokeModel'),
    { name: 'ValidationException', status: 400 })
})

t.test('Bedrock response headers go back, hop-by-hop ones and cookies do not', async (t) => {
  t.same(clientResponseHeaders({
    'x-amzn-requestid': 'b6a2-req',
    'x-amzn-errortype': 'ThrottlingException',
    'content-type': 'application/json',
    'content-length': '57',
    'x-amzn-bedrock-input-token-count': '12',
    'x-amzn-bedrock-output-token-count': '34',
    'x-amzn-bedrock-invocation-latency': '560',
    date: 'Fri, 27 Nov 2026 12:00:00 GMT',
    connection: 'keep-alive, x-internal-hop',
    'keep-alive': 'timeout=5',
    'transfer-encoding': 'chunked',
    'x-internal-hop': 'something',
    'set-cookie': ['AWSALB=abc', 'AWSALBCORS=abc'],
    upgrade: 'h2c',
    trailer: 'x-checksum'
  }), {
    'x-amzn-requestid': 'b6a2-req',
    'x-amzn-errortype': 'ThrottlingException',
    'content-type': 'application/json',
    'content-length': '57',
    'x-amzn-bedrock-input-token-count': '12',
    'x-amzn-bedrock-output-token-count': '34',
    'x-amzn-bedrock-invocation-latency': '560',
    date: 'Fri, 27 Nov 2026 12:00:00 GMT'
  })
})

t.test('HTTP/2 pseudo-headers never go upstream', async (t) => {
  const headers = upstreamRequestHeaders({
    ':method': 'POST',
    ':path': '/model/x/converse',
    ':authority': 'gateway.internal',
    ':scheme': 'https',
    'content-type': 'application/json'
  }, 'Converse')
  t.same(headers, { 'content-type': 'application/json', 'user-agent': GATEWAY_USER_AGENT })
})

t.test('a header inherited from the prototype of the headers object is not forwarded', async (t) => {
  const headers = Object.assign(Object.create({ 'x-amzn-bedrock-trace': 'ENABLED' }) as Record<string, string>, { accept: 'application/json' })
  t.same(upstreamRequestHeaders(headers, 'InvokeModel'), { accept: 'application/json', 'user-agent': GATEWAY_USER_AGENT })
})

t.test('a response header Bedrock names in Connection stays back even when spelled in capitals', async (t) => {
  t.same(clientResponseHeaders({ connection: 'X-Internal-Hop', 'x-internal-hop': 'something', 'x-amzn-requestid': 'r1' }),
    { 'x-amzn-requestid': 'r1' })
})
