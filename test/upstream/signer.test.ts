import t from 'tap'
import { createHash } from 'node:crypto'
import type { AwsCredentialIdentity } from '@smithy/types'
import { createUpstreamSigner } from '../../src/upstream/signer.ts'
import { createOriginResolver } from '../../src/upstream/upstream-origin.ts'
import { upstreamTarget } from '../../src/upstream/request-target.ts'
import { verifySignature } from '../support/fake-bedrock/sigv4/verify-signature.ts'

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
