import t from 'tap'
import { Hash } from '@smithy/hash-node'
import { HttpRequest } from '@smithy/protocol-http'
import { SignatureV4 } from '@smithy/signature-v4'
import { verifySignature, type ReceivedRequest } from '../support/fake-bedrock/sigv4/verify-signature.ts'

// The published AWS SigV4 test-suite example credentials and clock (service "service", us-east-1).
const SUITE = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  now: new Date(Date.UTC(2015, 7, 30, 12, 36, 0))
}
const suiteOptions = {
  service: 'service',
  lookupCredentials: (id: string) => id === SUITE.accessKeyId ? SUITE : undefined,
  now: SUITE.now,
  maxClockSkewMs: 5 * 60 * 1000
}

function suiteRequest (rawUrl: string, signature: string): ReceivedRequest {
  return {
    method: 'GET',
    rawUrl,
    rawHeaders: [
      'Host', 'example.amazonaws.com',
      'X-Amz-Date', '20150830T123600Z',
      'Authorization', `AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=${signature}`
    ],
    body: new Uint8Array()
  }
}

t.test('accepts the AWS test-suite vector get-vanilla', async t => {
  const verdict = verifySignature(suiteRequest('/', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'), suiteOptions)
  t.match(verdict, { ok: true, accessKeyId: 'AKIDEXAMPLE', region: 'us-east-1' })
})

t.test('accepts the AWS test-suite vector get-vanilla-query-order-key-case (query sorted before signing)', async t => {
  const verdict = verifySignature(
    suiteRequest('/?Param2=value2&Param1=value1', 'b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500'), suiteOptions)
  t.equal(verdict.ok, true)
})

t.test('rejects the get-vanilla vector with one signature digit changed', async t => {
  const verdict = verifySignature(suiteRequest('/', '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf30'), suiteOptions)
  t.match(verdict, { ok: false, errorType: 'InvalidSignatureException' })
})

const BEDROCK = { accessKeyId: 'AKIDBEDROCKTEST', secretAccessKey: 'bedrock-test-secret', sessionToken: 'session-token-1' }
const bedrockOptions = (now: Date) => ({
  service: 'bedrock',
  lookupCredentials: (id: string) => id === BEDROCK.accessKeyId ? BEDROCK : undefined,
  now,
  maxClockSkewMs: 5 * 60 * 1000
})

/** Signs with @smithy/signature-v4 (what the SDKs and the gateway use) and turns the result into wire form. */
async function smithySigned (path: string, query: Record<string, string>, body: string, now: Date): Promise<ReceivedRequest> {
  const signer = new SignatureV4({ service: 'bedrock', region: 'eu-west-2', credentials: BEDROCK, sha256: Hash.bind(null, 'sha256') })
  const request = new HttpRequest({
    method: 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 4010,
    path,
    query,
    headers: { host: '127.0.0.1:4010', 'content-type': 'application/json', 'x-amzn-bedrock-trace': '  ENABLED   twice ' },
    body
  })
  const signed = await signer.sign(request, { signingDate: now })
  const search = new URLSearchParams(query).toString().replace(/\+/g, '%20')
  return {
    method: 'POST',
    rawUrl: search === '' ? path : `${path}?${search}`,
    rawHeaders: Object.entries(signed.headers).flat(),
    body: Buffer.from(body)
  }
}

t.test('accepts a @smithy/signature-v4 signature over an encoded ARN path, a query and odd header spacing', async t => {
  const now = new Date()
  const request = await smithySigned(
    '/model/arn%3Aaws%3Abedrock%3Aeu-west-2%3A111122223333%3Aapplication-inference-profile%2Fabcdef012345/converse',
    { b: 'two words', a: 'x/y' }, '{"messages":[]}', now)
  t.match(verifySignature(request, bedrockOptions(now)), { ok: true, region: 'eu-west-2', sessionToken: 'session-token-1' })
})

t.test('rejects a smithy-signed request whose body was changed after signing', async t => {
  const now = new Date()
  const request = await smithySigned('/model/anthropic.claude-v2%3A1/invoke', {}, '{"prompt":"a"}', now)
  const verdict = verifySignature({ ...request, body: Buffer.from('{"prompt":"b"}') }, bedrockOptions(now))
  t.match(verdict, { ok: false, errorType: 'InvalidSignatureException' })
})

t.test('rejects a path that differs from the signed one only in percent-encoding', async t => {
  const now = new Date()
  const request = await smithySigned('/model/anthropic.claude-v2%3A1/invoke', {}, '{}', now)
  const verdict = verifySignature({ ...request, rawUrl: '/model/anthropic.claude-v2:1/invoke' }, bedrockOptions(now))
  t.match(verdict, { ok: false, errorType: 'InvalidSignatureException' })
})

t.test('rejects a signature made more than five minutes before the fake\'s clock', async t => {
  const signedAt = new Date()
  const request = await smithySigned('/model/m/converse', {}, '{}', signedAt)
  const verdict = verifySignature(request, bedrockOptions(new Date(signedAt.getTime() + 6 * 60 * 1000)))
  t.match(verdict, { ok: false, errorType: 'InvalidSignatureException', message: /^Signature expired/ })
})

t.test('rejects a request whose session token is not the one issued with the key', async t => {
  const now = new Date()
  const request = await smithySigned('/model/m/converse', {}, '{}', now)
  const rawHeaders = request.rawHeaders.map(value => value === BEDROCK.sessionToken ? 'forged-token' : value)
  t.match(verifySignature({ ...request, rawHeaders }, bedrockOptions(now)), { ok: false, errorType: 'UnrecognizedClientException' })
})

t.test('rejects an unknown access key id as UnrecognizedClientException', async t => {
  const now = new Date()
  const request = await smithySigned('/model/m/converse', {}, '{}', now)
  const verdict = verifySignature(request, { ...bedrockOptions(now), lookupCredentials: () => undefined })
  t.match(verdict, { ok: false, errorType: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' })
})

t.test('rejects credentials past their expiration as ExpiredTokenException', async t => {
  const now = new Date()
  const request = await smithySigned('/model/m/converse', {}, '{}', now)
  const expired = { ...BEDROCK, expiration: new Date(now.getTime() - 1) }
  t.match(verifySignature(request, { ...bedrockOptions(now), lookupCredentials: () => expired }),
    { ok: false, errorType: 'ExpiredTokenException' })
})

t.test('rejects a signature scoped to another service', async t => {
  const now = new Date()
  const request = await smithySigned('/model/m/converse', {}, '{}', now)
  t.match(verifySignature(request, { ...bedrockOptions(now), service: 'bedrock-runtime' }),
    { ok: false, errorType: 'InvalidSignatureException', message: /scoped to correct service/ })
})

t.test('refuses a request with no Authorization header', async t => {
  const verdict = verifySignature({ method: 'GET', rawUrl: '/', rawHeaders: ['Host', 'x'], body: new Uint8Array() }, bedrockOptions(new Date()))
  t.match(verdict, { ok: false, errorType: 'MissingAuthenticationTokenException' })
})
