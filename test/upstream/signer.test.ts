import t from 'tap'
import { deepStrictEqual } from 'node:assert'
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { Hash } from '@smithy/hash-node'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import type { AwsCredentialIdentity } from '@smithy/types'
import { encodeLabel } from '../../src/bedrock/path-labels.ts'
import { OPERATION_NAMES } from '../../src/bedrock/operation-names.ts'
import { upstreamRequestHeaders } from '../../src/upstream/header-policy.ts'
import { createUpstreamSigner } from '../../src/upstream/signer.ts'
import { createOriginResolver } from '../../src/upstream/upstream-origin.ts'
import { upstreamTarget } from '../../src/upstream/request-target.ts'
import { verifySignature } from '../support/fake-bedrock/sigv4/verify-signature.ts'
import { envelopeSignature } from '../support/fake-bedrock/bidirectional/event-chain.ts'
import { encodeDateHeader } from '../../src/bedrock/event-envelope.ts'

const sessionCredentials: AwsCredentialIdentity = {
  accessKeyId: 'ASIAGATEWAYEXAMPLE',
  secretAccessKey: 'gateway/secret+EXAMPLEKEY',
  sessionToken: 'gateway-session-token'
}
/** The fake Bedrock's verifier: written from the SigV4 reference alone, it shares no code with @smithy/signature-v4. */
function verify (target: string, rawHeaders: string[]) {
  return verifySignature({ method: 'POST', rawUrl: target, rawHeaders, body }, {
    service: 'bedrock',
    lookupCredentials: (accessKeyId) => accessKeyId === sessionCredentials.accessKeyId ? sessionCredentials : undefined,
    now: new Date(),
    maxClockSkewMs: 5 * 60 * 1000
  })
}
const originFor = createOriginResolver('https://bedrock-runtime.{region}.amazonaws.com')
const body = Buffer.from(JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'Hello' }] }] }))
const bodySha256Hex = createHash('sha256').update(body).digest('hex')

async function signed (path: string, rawQuery = '', headers: Record<string, string> = { 'content-type': 'application/json' },
  credentials: AwsCredentialIdentity = sessionCredentials) {
  const signer = createUpstreamSigner(async () => credentials)
  const target = upstreamTarget(path, rawQuery)
  const sent = await signer.sign({
    region: 'eu-west-2',
    signingName: 'bedrock',
    method: 'POST',
    origin: originFor('eu-west-2'),
    path: target.path,
    query: target.query,
    headers,
    bodySha256Hex
  })
  return { sent, target: target.target, rawHeaders: Object.entries(sent).flat() }
}

t.test('a request for a percent-encoded model id is signed for bedrock in the requested region, path encoded once more', async (t) => {
  const path = '/model/us.anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse'
  const { target, rawHeaders } = await signed(path)
  t.equal(target, path, 'the path is sent exactly as given')
  t.match(verify(target, rawHeaders), { ok: true, accessKeyId: 'ASIAGATEWAYEXAMPLE', region: 'eu-west-2', sessionToken: 'gateway-session-token' })
})

t.test('the signature covers the exact path bytes: the same request with a raw colon does not verify', async (t) => {
  const { rawHeaders } = await signed('/model/us.anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse')
  const verdict = verify('/model/us.anthropic.claude-3-5-sonnet-20241022-v2:0/converse', rawHeaders)
  t.match(verdict, { ok: false, errorType: 'InvalidSignatureException' })
})

t.test('an encoded ARN model id (%2F inside one segment) verifies', async (t) => {
  const path = '/model/arn%3Aaws%3Abedrock%3Aeu-west-2%3A111122223333%3Aapplication-inference-profile%2Fa1b2c3d4e5f6/invoke'
  const { target, rawHeaders } = await signed(path)
  t.match(verify(target, rawHeaders), { ok: true })
})

t.test('a caller\'s signing headers never survive: host, date, token, payload hash and authorization are the gateway\'s', async (t) => {
  const { sent } = await signed('/model/anthropic.claude-v2%3A1/invoke', '', {
    'content-type': 'application/json',
    host: 'evil.example',
    'X-Amz-Date': '19990101T000000Z',
    'x-amz-security-token': 'forged-token',
    'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD',
    Authorization: 'AWS4-HMAC-SHA256 forged'
  })
  t.equal(sent.host, 'bedrock-runtime.eu-west-2.amazonaws.com')
  t.equal(sent['x-amz-security-token'], 'gateway-session-token')
  t.equal(sent['x-amz-content-sha256'], bodySha256Hex)
  t.match(sent['x-amz-date'], /^\d{8}T\d{6}Z$/)
  t.not(sent['x-amz-date'], '19990101T000000Z')
  t.match(sent.authorization, /^AWS4-HMAC-SHA256 Credential=ASIAGATEWAYEXAMPLE\//)
  const names = Object.keys(sent).map((name) => name.toLowerCase())
  t.equal(new Set(names).size, names.length, 'no header appears twice under another case')
})

t.test('with long-term credentials no session token is sent, even when the caller supplied one', async (t) => {
  const { sent } = await signed('/model/anthropic.claude-v2%3A1/invoke', '', { 'x-amz-security-token': 'forged-token' },
    { accessKeyId: 'AKIAGATEWAYEXAMPLE', secretAccessKey: 'long-term-secret' })
  t.notOk(Object.keys(sent).some((name) => name.toLowerCase() === 'x-amz-security-token'))
})

t.test('the Bedrock headers are signed, the user agent is not', async (t) => {
  const { target, rawHeaders } = await signed('/model/anthropic.claude-v2%3A1/invoke', '', {
    'content-type': 'application/json',
    'x-amzn-bedrock-guardrailidentifier': 'gr-123',
    'user-agent': 'bedrock-geofence'
  })
  const verdict = verify(target, rawHeaders)
  t.match(verdict, { ok: true })
  if (verdict.ok) {
    t.same(verdict.signedHeaders, ['content-type', 'host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-security-token', 'x-amzn-bedrock-guardrailidentifier'])
  }
})

t.test('a query needing encoding is sent in the canonical form that was signed', async (t) => {
  const { target, rawHeaders } = await signed('/async-invoke', 'statusEquals=InProgress&nextToken=ab%2Bc%2F%3D%3D&maxResults=10')
  t.equal(target, '/async-invoke?maxResults=10&nextToken=ab%2Bc%2F%3D%3D&statusEquals=InProgress')
  t.match(verify(target, rawHeaders), { ok: true })
})

/** One request to sign, as the forwarder has it: decoded query pairs are encoded the way the request layer does. */
interface Signing {
  readonly region: string
  readonly method: string
  readonly path: string
  readonly query: ReadonlyArray<readonly [string, string]>
  readonly headers: Readonly<Record<string, string>>
  readonly credentials: AwsCredentialIdentity
  readonly signedAt: Date
  readonly bodySha256Hex: string
}

function rawQueryOf (pairs: Signing['query']): string {
  return pairs.map(([name, value]) => encodeLabel(name) + '=' + encodeLabel(value)).join('&')
}

function lowerCased (headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]))
}

/** The gateway's signer. */
async function oursSigned (signing: Signing): Promise<Record<string, string>> {
  const signer = createUpstreamSigner(async () => signing.credentials, () => signing.signedAt.getTime())
  const { path, query } = upstreamTarget(signing.path, rawQueryOf(signing.query))
  const { region, method, headers, bodySha256Hex } = signing
  return signer.sign({ region, signingName: 'bedrock', method, origin: originFor(region), path, query, headers, bodySha256Hex })
}

/** The reference: @smithy/signature-v4, given the decoded query and the headers to sign, as the AWS SDK calls it. */
async function smithySigned (signing: Signing): Promise<Record<string, string>> {
  const origin = originFor(signing.region)
  // Through a Map: a parameter may be called `toString` or `__proto__`.
  const grouped = new Map<string, string[]>()
  for (const [name, value] of signing.query) grouped.set(name, [...grouped.get(name) ?? [], value])
  const signer = new SignatureV4({
    service: 'bedrock', region: signing.region, credentials: signing.credentials, sha256: Hash.bind(null, 'sha256'), uriEscapePath: true
  })
  const request = new HttpRequest({
    method: signing.method,
    protocol: origin.protocol,
    hostname: origin.hostname,
    path: signing.path,
    query: Object.fromEntries(grouped),
    headers: { ...signing.headers, host: origin.host, 'x-amz-content-sha256': signing.bodySha256Hex }
  })
  return lowerCased((await signer.sign(request, { signingDate: signing.signedAt })).headers)
}

const converseSigning: Signing = {
  region: 'eu-west-2',
  method: 'POST',
  path: '/model/eu.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse',
  query: [],
  headers: upstreamRequestHeaders({ 'content-type': 'application/json' }, 'Converse'),
  credentials: sessionCredentials,
  signedAt: new Date('2026-11-27T10:15:00.250Z'),
  bodySha256Hex
}

t.test('a Converse request with a session token gets exactly the headers @smithy/signature-v4 gives it', async (t) => {
  const ours = await oursSigned(converseSigning)
  t.same(ours, await smithySigned(converseSigning))
  t.equal(ours['x-amz-security-token'], 'gateway-session-token')
  t.match(ours.authorization, /SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token,/)
})

t.test('long-term credentials: no token header, and the signature still matches @smithy/signature-v4', async (t) => {
  const signing = { ...converseSigning, credentials: { accessKeyId: 'AKIAGATEWAYEXAMPLE', secretAccessKey: 'long-term-secret' } }
  t.same(await oursSigned(signing), await smithySigned(signing))
})

t.test('a query is signed in canonical form, as @smithy/signature-v4 signs the same parameters', async (t) => {
  const signing = {
    ...converseSigning,
    method: 'GET',
    path: '/async-invoke',
    query: [['statusEquals', 'InProgress'], ['nextToken', 'ab+c/=='], ['maxResults', '10'], ['sortOrder', 'Descending']] as const,
    headers: upstreamRequestHeaders({ accept: 'application/json' }, 'ListAsyncInvokes')
  }
  t.same(await oursSigned(signing), await smithySigned(signing))
})

t.test('header values with inner, leading and trailing spaces are sent as given and signed trimmed, as smithy signs them', async (t) => {
  const signing = {
    ...converseSigning,
    path: '/model/anthropic.claude-v2%3A1/invoke',
    headers: upstreamRequestHeaders({
      'content-type': 'application/json',
      'x-amzn-bedrock-guardrailidentifier': '  gr  123 ',
      'x-amzn-bedrock-trace': '\tENABLED\t \tNOW'
    }, 'InvokeModel')
  }
  const ours = await oursSigned(signing)
  t.equal(ours['x-amzn-bedrock-guardrailidentifier'], '  gr  123 ')
  t.same(ours, await smithySigned(signing))
})

t.test('a caller\'s Date header is dropped, as @smithy/signature-v4 drops it: x-amz-date alone says when', async (t) => {
  const { sent } = await signed('/model/anthropic.claude-v2%3A1/invoke', '', { 'content-type': 'application/json', Date: 'Fri, 27 Nov 2026 10:15:00 GMT' })
  t.notOk(Object.keys(sent).some((name) => name.toLowerCase() === 'date'))
})

t.test('two spellings of one header name are sent once and signed once', async (t) => {
  const { sent, target, rawHeaders } = await signed('/model/anthropic.claude-v2%3A1/invoke', '', { 'Content-Type': 'text/plain', 'content-type': 'application/json' })
  t.equal(sent['content-type'], 'application/json')
  t.notOk('Content-Type' in sent)
  t.match(verify(target, rawHeaders), { ok: true })
})

/** Header values as Node hands them over: printable ASCII, spaces and tabs anywhere. */
const headerValue = fc.string({ unit: fc.oneof(fc.constantFrom(' ', '\t'), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 })), maxLength: 30 })
const clientHeaderNames = [
  'content-type', 'accept', 'user-agent', 'x-amzn-bedrock-trace', 'x-amzn-bedrock-guardrailidentifier', 'x-amzn-bedrock-guardrailversion',
  'x-amzn-bedrock-performanceconfig-latency', 'x-amzn-bedrock-service-tier', 'x-amzn-bedrock-request-metadata', 'x-amzn-bedrock-accept',
  'cookie', 'x-forwarded-for'
]
/** Whatever a caller sends, reduced to the set the gateway forwards for the operation. */
const allowedHeaders = fc.tuple(fc.constantFrom(...OPERATION_NAMES), fc.dictionary(fc.constantFrom(...clientHeaderNames), headerValue))
  .map(([operation, clientHeaders]) => upstreamRequestHeaders(clientHeaders, operation))
/** Any text, as a path label: encoded like the request layer encodes it; `.` and `..` are never sent. */
const encodedLabel = fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).map(encodeLabel).filter((label) => label !== '.' && label !== '..')
const path = fc.array(fc.oneof(fc.constantFrom('model', 'async-invoke', 'converse', 'invoke', 'guardrail', 'version', 'apply'), encodedLabel),
  { minLength: 1, maxLength: 4 }).map((segments) => '/' + segments.join('/'))
/** Decoded parameters; presigning ones (x-amz-*) are left out here because the gateway drops them on purpose. */
const queryPairs = fc.array(fc.tuple(
  fc.oneof(fc.constantFrom('maxResults', 'nextToken', 'statusEquals', 'sortBy'), fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }))
    .filter((name) => !name.toLowerCase().startsWith('x-amz-')),
  fc.string({ unit: 'binary', maxLength: 12 })
), { maxLength: 4 })
const credentials = fc.record({
  accessKeyId: fc.stringMatching(/^(AKIA|ASIA)[A-Z0-9]{16}$/),
  secretAccessKey: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }),
  sessionToken: fc.option(fc.base64String({ minLength: 4, maxLength: 60 }), { nil: undefined })
}, { requiredKeys: ['accessKeyId', 'secretAccessKey'] })
const signing: fc.Arbitrary<Signing> = fc.record({
  region: fc.constantFrom('eu-west-2', 'eu-central-1', 'us-east-1', 'ap-southeast-2'),
  method: fc.constantFrom('GET', 'POST'),
  path,
  query: queryPairs,
  headers: allowedHeaders,
  credentials,
  signedAt: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
  bodySha256Hex: fc.stringMatching(/^[0-9a-f]{64}$/)
})

t.test('for any allowed request, every header sent, Authorization included, is byte for byte what @smithy/signature-v4 gives', async (t) => {
  let withToken = 0
  let withQuery = 0
  await fc.assert(fc.asyncProperty(signing, async (request) => {
    const ours = await oursSigned(request)
    deepStrictEqual(ours, await smithySigned(request))
    if (ours['x-amz-security-token'] !== undefined) withToken++
    if (request.query.length > 0) withQuery++
  }), { numRuns: 1000 })
  t.ok(withToken > 200 && withQuery > 200, `1000 requests matched (${withToken} with a session token, ${withQuery} with a query)`)
})

t.test('a stream of events is signed with the streaming payload marker, and its chain starts at the request\'s own signature', async (t) => {
  const signer = createUpstreamSigner(async () => sessionCredentials)
  const path = '/model/amazon.nova-sonic-v1%3A0/invoke-with-bidirectional-stream'
  const { headers, chain } = await signer.signEventStream({
    region: 'eu-west-2',
    signingName: 'bedrock',
    method: 'POST',
    origin: originFor('eu-west-2'),
    path,
    query: '',
    headers: { 'content-type': 'application/vnd.amazon.eventstream' }
  })
  t.equal(headers['x-amz-content-sha256'], 'STREAMING-AWS4-HMAC-SHA256-EVENTS')
  const verdict = verifySignature({ method: 'POST', rawUrl: path, rawHeaders: Object.entries(headers).flat(), body: Buffer.alloc(0), payloadHash: 'STREAMING-AWS4-HMAC-SHA256-EVENTS' }, {
    service: 'bedrock',
    lookupCredentials: () => sessionCredentials,
    now: new Date(),
    maxClockSkewMs: 5 * 60 * 1000
  })
  t.match(verdict, { ok: true, region: 'eu-west-2' })
  const seed = /Signature=([0-9a-f]{64})$/.exec(headers.authorization ?? '')?.[1] ?? ''
  const dateMs = Date.now()
  const payload = Buffer.from('inner event')
  const expected = envelopeSignature({ secretAccessKey: sessionCredentials.secretAccessKey, region: 'eu-west-2', service: 'bedrock' }, seed, dateMs, payload)
  t.equal(chain.next({ dateMs, dateHeader: encodeDateHeader(dateMs), payload }), expected.toString('hex'),
    'the first event signs after the seed, as the fake computes it')
})
