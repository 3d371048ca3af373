import t from 'tap'
import { ConverseCommand, type ServiceInputTypes, type ServiceOutputTypes } from '@aws-sdk/client-bedrock-runtime'
import type { HttpRequest } from '@smithy/protocol-http'
import type { FinalizeRequestMiddleware } from '@smithy/types'
import { runtimeClientFor, sendSigned, startFakeBedrock, type ClientCredentials } from '../support/fake-bedrock/index.ts'

const MODEL = 'anthropic.claude-3-haiku-20240307-v1:0'
const converse = new ConverseCommand({ modelId: MODEL, messages: [{ role: 'user', content: [{ text: 'hi' }] }] })
const SESSION: ClientCredentials = { accessKeyId: 'ASIAFAKESESSION01', secretAccessKey: 'session-secret', sessionToken: 'the-issued-token' }

t.test('a request signed with the wrong secret gets 403 InvalidSignatureException, in the body as well as the header', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  const client = runtimeClientFor(fake.url, { credentials: { accessKeyId: 'AKIDFAKEUPSTREAM0001', secretAccessKey: 'wrong' } })
  await t.rejects(client.send(converse), { name: 'InvalidSignatureException', $metadata: { httpStatusCode: 403 } })
  const [request] = await fake.waitForRequests(1)
  t.match(request, { signature: { ok: false, errorType: 'InvalidSignatureException' }, response: { status: 403, errorType: 'InvalidSignatureException' } })
  t.equal(fake.lastResponseText, undefined, 'no model reply was generated')
})

t.test('a signature tampered with after signing is refused', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  const client = runtimeClientFor(fake.url)
  const flipFirstSignatureDigit: FinalizeRequestMiddleware<ServiceInputTypes, ServiceOutputTypes> = next => async args => {
    const request = args.request as HttpRequest
    request.headers.authorization = (request.headers.authorization ?? '')
      .replace(/Signature=([0-9a-f])/, (_all, digit: string) => `Signature=${digit === '0' ? '1' : '0'}`)
    return next(args)
  }
  client.middlewareStack.addRelativeTo(flipFirstSignatureDigit, { relation: 'after', toMiddleware: 'httpSigningMiddleware' })
  await t.rejects(client.send(converse), { name: 'InvalidSignatureException' })
})

t.test('the SDK\'s clock-skew correction recovers from a signature dated 10 minutes ago', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  const client = runtimeClientFor(fake.url, { systemClockOffsetMs: -10 * 60 * 1000, maxAttempts: 2 })
  await client.send(converse)
  t.match(fake.requests.map(request => request.signature), [
    { ok: false, errorType: 'InvalidSignatureException', message: /^Signature expired/ },
    { ok: true }
  ])
})

t.test('an x-amz-date more than five minutes off is refused', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  await t.rejects(runtimeClientFor(fake.url, { systemClockOffsetMs: 6 * 60 * 1000 }).send(converse),
    { name: 'InvalidSignatureException', message: /^Signature not yet current/ })
})

t.test('an access key the fake does not know gets UnrecognizedClientException', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  await t.rejects(runtimeClientFor(fake.url, { credentials: { accessKeyId: 'AKIDUNKNOWN', secretAccessKey: 'x' } }).send(converse),
    { name: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' })
})

t.test('session credentials are accepted only with their own session token', async t => {
  const fake = await startFakeBedrock({ credentials: SESSION })
  t.teardown(() => fake.close())
  await runtimeClientFor(fake.url, { credentials: SESSION }).send(converse)
  t.match(fake.requests[0]?.signature, { ok: true, sessionToken: 'the-issued-token' })
  await t.rejects(runtimeClientFor(fake.url, { credentials: { ...SESSION, sessionToken: 'forged' } }).send(converse),
    { name: 'UnrecognizedClientException' })
  const { sessionToken: _dropped, ...withoutToken } = SESSION
  await t.rejects(runtimeClientFor(fake.url, { credentials: withoutToken }).send(converse), { name: 'UnrecognizedClientException' })
})

t.test('credentials past their expiration get ExpiredTokenException', async t => {
  const fake = await startFakeBedrock({ credentials: { ...SESSION, expiration: new Date(Date.now() - 1000) } })
  t.teardown(() => fake.close())
  await t.rejects(runtimeClientFor(fake.url, { credentials: SESSION }).send(converse),
    { name: 'ExpiredTokenException', $metadata: { httpStatusCode: 403 } })
})

t.test('a list of credentials accepts each of them', async t => {
  const other = { accessKeyId: 'AKIDOTHER', secretAccessKey: 'other-secret' }
  const fake = await startFakeBedrock({ credentials: [SESSION, other] })
  t.teardown(() => fake.close())
  await runtimeClientFor(fake.url, { credentials: SESSION }).send(converse)
  await runtimeClientFor(fake.url, { credentials: other }).send(converse)
  t.same(fake.requests.map(request => request.signature?.ok), [true, true])
})

t.test('a body changed after signing does not verify (x-amz-content-sha256 names the signed body)', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  const response = await sendSigned(fake.url, {
    method: 'POST',
    path: '/model/m/converse',
    region: 'us-east-1',
    headers: { 'content-type': 'application/json', 'x-amz-content-sha256': '0'.repeat(64) },
    body: '{"messages":[]}'
  })
  t.equal(response.status, 403)
  t.equal(response.headers['x-amzn-errortype'], 'InvalidSignatureException')
  t.match(JSON.parse(response.body.toString('utf8')), { message: /x-amz-content-sha256/ })
})

t.test('a request with no Authorization header is refused and nothing is answered for it', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  const response = await fetch(`${fake.url}/model/m/converse`, { method: 'POST', body: '{}' })
  t.equal(response.status, 403)
  t.equal(response.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException')
  t.match(fake.requests[0], { signature: { ok: false }, response: { status: 403 } })
})
