import t from 'tap'
import { authenticate, completeAuthentication, hasQuerySignature, indexHeaders, screenAuthentication } from '../../src/auth/authenticate.ts'
import { indexClients } from '../../src/auth/client-index.ts'
import {
  AMZ_DATE_NOT_SIGNED,
  CONTENT_SHA256_MISMATCH,
  HOST_NOT_SIGNED,
  MISSING_AUTHENTICATION_TOKEN,
  MULTIPLE_AUTHORIZATION_HEADERS,
  PRESIGNED_NOT_ACCEPTED,
  SIGNATURE_MISMATCH,
  UNRECOGNIZED_CLIENT,
  UNSUPPORTED_AUTHORIZATION_SCHEME
} from '../../src/auth/messages.ts'
import type { AuthenticateInput } from '../../src/auth/types.ts'
import { BedrockError } from '../../src/core/errors.ts'
import { BATCH_BEARER_KEY, batchClient, LITELLM_KEY_ID, LITELLM_SECRET, litellmClient } from './fixtures/clients.ts'
import { readSignedRequestFile, sha256Hex } from './fixtures/signed-request-file.ts'
import { smithySignedRequest, type SmithySigning } from './fixtures/smithy-signed-request.ts'

const keys = indexClients([litellmClient, batchClient])
const limits = { clockSkewSeconds: 300 }
const NOW = new Date('2026-11-27T10:15:00Z')
const CONVERSE_PATH = '/model/eu.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse'
const BODY = '{"messages":[{"role":"user","content":[{"text":"hi"}]}]}'

function signing (overrides: Partial<SmithySigning> = {}): SmithySigning {
  return {
    path: CONVERSE_PATH,
    headers: { 'content-type': 'application/json' },
    body: BODY,
    accessKeyId: LITELLM_KEY_ID,
    secretAccessKey: LITELLM_SECRET,
    region: 'eu-west-2',
    signingDate: NOW,
    ...overrides
  }
}

async function signedInput (overrides: Partial<SmithySigning> = {}): Promise<AuthenticateInput> {
  return { ...(await smithySignedRequest(signing(overrides))), now: NOW }
}

function withHeader (input: AuthenticateInput, name: string, transform: (value: string) => string): AuthenticateInput {
  const rawHeaders = [...input.rawHeaders]
  const at = rawHeaders.findIndex((header, i) => i % 2 === 0 && header.toLowerCase() === name)
  rawHeaders[at + 1] = transform(rawHeaders[at + 1] as string)
  return { ...input, rawHeaders }
}

function bearerInput (authorization: string): AuthenticateInput {
  return {
    method: 'POST',
    rawPath: '/eu-west-2' + CONVERSE_PATH,
    rawHeaders: ['Host', '127.0.0.1:8080', 'Content-Type', 'application/json', 'Authorization', authorization],
    authority: '127.0.0.1:8080',
    bodySha256Hex: sha256Hex(BODY),
    now: NOW
  }
}

t.test('a request signed like the JavaScript SDK authenticates its client with the scope region', async (t) => {
  const result = authenticate(await signedInput(), keys, limits)
  t.equal(result.client, litellmClient)
  t.equal(result.region, 'eu-west-2')
})

t.test('the region comes from the credential scope, whatever region that is', async (t) => {
  t.equal(authenticate(await signedInput({ region: 'us-east-1' }), keys, limits).region, 'us-east-1')
})

t.test('an HTTP/2 request (pseudo-headers, :authority, no host header) authenticates', async (t) => {
  const http1 = await signedInput()
  const withoutHost = http1.rawHeaders.filter((_, i, all) => (i % 2 === 0 ? all[i] : all[i - 1]) !== 'host')
  const http2 = {
    ...http1,
    rawHeaders: [':method', 'POST', ':authority', http1.authority, ':scheme', 'http', ':path', http1.rawPath, ...withoutHost]
  }
  t.equal(authenticate(http2, keys, limits).client, litellmClient)
})

t.test('a signed session token is accepted (and means nothing to the gateway)', async (t) => {
  const input = await signedInput({ sessionToken: 'FwoGZXIvYXdzEXAMPLETOKEN' })
  t.ok(input.rawHeaders.includes('x-amz-security-token'), 'the signer sent the token')
  t.equal(authenticate(input, keys, limits).client, litellmClient)
})

t.test('a query string is verified as part of the signature', async (t) => {
  const input = await signedInput({ method: 'GET', path: '/async-invoke', query: { maxResults: '10', statusEquals: 'Completed' }, body: '', headers: {} })
  t.equal(authenticate(input, keys, limits).client, litellmClient)
  const changed = { ...input, rawPath: input.rawPath.replace('maxResults=10', 'maxResults=11') }
  t.throws(() => authenticate(changed, keys, limits), new BedrockError('InvalidSignatureException', SIGNATURE_MISMATCH))
})

t.test('no Authorization header at all is access denied', async (t) => {
  const input = await signedInput()
  const rawHeaders = input.rawHeaders.filter((_, i, all) => (i % 2 === 0 ? all[i] : all[i - 1]) !== 'authorization')
  t.throws(() => authenticate({ ...input, rawHeaders }, keys, limits),
    new BedrockError('AccessDeniedException', MISSING_AUTHENTICATION_TOKEN))
})

t.test('an Authorization header of another scheme is malformed', async (t) => {
  t.throws(() => authenticate(bearerInput('Basic dXNlcjpwYXNz'), keys, limits),
    new BedrockError('IncompleteSignatureException', UNSUPPORTED_AUTHORIZATION_SCHEME))
})

t.test('a SigV4 header missing its parameters is malformed (400)', async (t) => {
  const error = t.throws(() => authenticate(bearerInput('AWS4-HMAC-SHA256 Credential=GEOFENCELITELLM01/20261127/eu-west-2/bedrock/aws4_request'), keys, limits))
  t.match(error, { name: 'IncompleteSignatureException', status: 400 })
})

t.test('two Authorization headers are refused even if one is valid', async (t) => {
  const input = await signedInput()
  const rawHeaders = [...input.rawHeaders, 'Authorization', 'Bearer ' + BATCH_BEARER_KEY]
  t.throws(() => authenticate({ ...input, rawHeaders }, keys, limits),
    new BedrockError('IncompleteSignatureException', MULTIPLE_AUTHORIZATION_HEADERS))
})

t.test('a presigned query is refused, even next to a valid Authorization header', async (t) => {
  const input = await signedInput()
  t.throws(() => authenticate({ ...input, rawPath: input.rawPath + '?X-Amz-Signature=abc' }, keys, limits),
    new BedrockError('IncompleteSignatureException', PRESIGNED_NOT_ACCEPTED))
})

t.test("the AWS test suite's presigned request is refused", async (t) => {
  const file = readSignedRequestFile(new URL('./fixtures/aws-sig-v4-test-suite-presigned/get-vanilla-query-order-key-case.sreq', import.meta.url))
  const input = { ...file, bodySha256Hex: sha256Hex(file.body), now: new Date('2015-08-30T12:36:00Z') }
  t.throws(() => authenticate(input, keys, limits), new BedrockError('IncompleteSignatureException', PRESIGNED_NOT_ACCEPTED))
})

t.test('an unknown key id is an unrecognized client (403)', async (t) => {
  await t.rejects(async () => authenticate(await signedInput({ accessKeyId: 'GEOFENCEUNKNOWN' }), keys, limits),
    new BedrockError('UnrecognizedClientException', UNRECOGNIZED_CLIENT))
})

t.test('the right key id with the wrong secret is a bad signature (403)', async (t) => {
  await t.rejects(async () => authenticate(await signedInput({ secretAccessKey: LITELLM_SECRET + 'x' }), keys, limits),
    { name: 'InvalidSignatureException', status: 403, message: SIGNATURE_MISMATCH })
})

t.test('a signature older than the allowed skew has expired', async (t) => {
  const input = await signedInput({ signingDate: new Date(NOW.getTime() - 301_000) })
  t.throws(() => authenticate(input, keys, limits), new BedrockError('InvalidSignatureException',
    'Signature expired: 20261127T100959Z is now earlier than 20261127T101000Z (20261127T101500Z - 5 min.)'))
})

t.test('a signature dated beyond the allowed skew is not yet current', async (t) => {
  const input = await signedInput({ signingDate: new Date(NOW.getTime() + 301_000) })
  t.throws(() => authenticate(input, keys, limits), { name: 'InvalidSignatureException', message: /^Signature not yet current: / })
})

t.test('the skew is the configured one', async (t) => {
  const input = await signedInput({ signingDate: new Date(NOW.getTime() - 120_000) })
  t.equal(authenticate(input, keys, limits).client, litellmClient)
  t.throws(() => authenticate(input, keys, { clockSkewSeconds: 60 }), { name: 'InvalidSignatureException', message: /^Signature expired: / })
})

t.test('a scope date other than the x-amz-date day is refused', async (t) => {
  const input = withHeader(await signedInput(), 'x-amz-date', () => '20261128T000100Z')
  t.throws(() => authenticate({ ...input, now: new Date('2026-11-28T00:01:00Z') }, keys, limits), new BedrockError('InvalidSignatureException',
    "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261127' != '20261128', from '20261128T000100Z'."))
})

t.test('a signature for another service is refused', async (t) => {
  await t.rejects(async () => authenticate(await signedInput({ service: 'bedrock-runtime' }), keys, limits),
    new BedrockError('InvalidSignatureException', "Credential should be scoped to correct service: 'bedrock'."))
})

t.test('a signature that does not cover host is refused', async (t) => {
  const input = await signedInput({ signHost: false })
  t.notOk(input.rawHeaders.find((value) => value.startsWith('AWS4-'))?.includes('host'), 'host not signed')
  t.throws(() => authenticate(input, keys, limits), new BedrockError('InvalidSignatureException', HOST_NOT_SIGNED))
})

t.test('a signature that does not cover x-amz-date is refused', async (t) => {
  const input = withHeader(await signedInput(), 'authorization', (value) => value.replace(';x-amz-date', ''))
  t.throws(() => authenticate(input, keys, limits), new BedrockError('InvalidSignatureException', AMZ_DATE_NOT_SIGNED))
})

t.test('a body that does not match x-amz-content-sha256 is refused', async (t) => {
  const input = await signedInput()
  t.throws(() => authenticate({ ...input, bodySha256Hex: sha256Hex(BODY + ' ') }, keys, limits),
    new BedrockError('InvalidSignatureException', CONTENT_SHA256_MISMATCH))
})

t.test('a request addressed to another host does not verify', async (t) => {
  const input = await signedInput()
  t.throws(() => authenticate({ ...input, authority: '127.0.0.1:8081' }, keys, limits),
    new BedrockError('InvalidSignatureException', SIGNATURE_MISMATCH))
})

t.test('a SigV4 caller screened on its headers is authenticated only by the body it signed', async (t) => {
  const input = await signedInput()
  const screened = screenAuthentication(input, keys, limits)
  t.equal(screened.client, litellmClient, 'the headers name the client')
  t.equal(completeAuthentication(screened, input, keys).region, 'eu-west-2')
  t.throws(() => completeAuthentication(screened, { ...input, bodySha256Hex: sha256Hex(BODY + ' ') }, keys),
    new BedrockError('InvalidSignatureException', CONTENT_SHA256_MISMATCH))
})

t.test('a bearer caller is settled by its headers alone', async (t) => {
  const screened = screenAuthentication(bearerInput('Bearer ' + BATCH_BEARER_KEY), keys, limits)
  t.same(completeAuthentication(screened, bearerInput('Bearer ' + BATCH_BEARER_KEY), keys), { client: batchClient })
})

t.test('a bearer client is found by its key, with no region', async (t) => {
  t.same(authenticate(bearerInput('Bearer ' + BATCH_BEARER_KEY), keys, limits), { client: batchClient })
})

t.test('a wrong bearer key is an unrecognized client', async (t) => {
  t.throws(() => authenticate(bearerInput('Bearer ' + BATCH_BEARER_KEY.slice(0, -1)), keys, limits),
    new BedrockError('UnrecognizedClientException', UNRECOGNIZED_CLIENT))
})

t.test('no refusal message repeats a secret or a bearer key', async (t) => {
  const attempts: AuthenticateInput[] = [
    bearerInput('Bearer ' + BATCH_BEARER_KEY + 'x'),
    bearerInput(BATCH_BEARER_KEY),
    bearerInput('AWS4-HMAC-SHA256 ' + LITELLM_SECRET),
    await signedInput({ secretAccessKey: LITELLM_SECRET + 'x' })
  ]
  for (const attempt of attempts) {
    const error = t.throws(() => authenticate(attempt, keys, limits)) as unknown as Error
    t.notMatch(error.message, BATCH_BEARER_KEY)
    t.notMatch(error.message, LITELLM_SECRET)
  }
})

t.test('names are lower-cased and repeated headers keep every value in arrival order', async (t) => {
  const index = indexHeaders(['X-A', '1', 'Host', 'h', 'x-a', '2', 'X-A', '3'])
  t.same([...index.entries()], [['x-a', ['1', '2', '3']], ['host', ['h']]])
})

t.test('HTTP/2 pseudo-headers are left out', async (t) => {
  const index = indexHeaders([':method', 'POST', ':authority', 'h:1', ':path', '/x', 'content-type', 'application/json'])
  t.same([...index.keys()], ['content-type'])
})

t.test('presigned-URL parameters are found', async (t) => {
  t.equal(hasQuerySignature('X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a%2Fb'), true)
  t.equal(hasQuerySignature('a=1&X-Amz-Signature=abc'), true)
})

t.test('however they are cased or encoded', async (t) => {
  t.equal(hasQuerySignature('x-amz-signature=abc'), true)
  t.equal(hasQuerySignature('X%2DAmz%2DCredential=abc'), true)
})

t.test('a key without a value counts too', async (t) => {
  t.equal(hasQuerySignature('X-Amz-Signature'), true)
})

t.test('ordinary parameters and values that merely mention them do not', async (t) => {
  t.equal(hasQuerySignature('maxResults=10&nextToken=X-Amz-Signature'), false)
  t.equal(hasQuerySignature(''), false)
})
