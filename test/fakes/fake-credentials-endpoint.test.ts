import t from 'tap'
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime'
import { fromHttp } from '@aws-sdk/credential-providers'
import { runtimeClientFor, startFakeBedrock } from '../support/fake-bedrock/index.ts'
import { startFakeCredentialsEndpoint } from '../support/fake-credentials-endpoint.ts'

const converse = new ConverseCommand({
  modelId: 'anthropic.claude-3-haiku-20240307-v1:0',
  messages: [{ role: 'user', content: [{ text: 'hi' }] }]
})

t.test('the AWS SDK\'s HTTP credential provider reads the credentials the endpoint issued', async t => {
  const endpoint = await startFakeCredentialsEndpoint({ lifetimeMs: 60_000 })
  t.teardown(() => endpoint.close())
  const credentials = await fromHttp({ awsContainerCredentialsFullUri: endpoint.url })()
  const [issued] = endpoint.issued
  t.equal(endpoint.fetchCount, 1)
  t.match(credentials, {
    accessKeyId: issued?.accessKeyId,
    secretAccessKey: issued?.secretAccessKey,
    sessionToken: issued?.sessionToken
  })
  t.equal(credentials.expiration?.getTime(), issued?.expiration.getTime())
})

t.test('every fetch rotates to new credentials with their own expiry', async t => {
  const endpoint = await startFakeCredentialsEndpoint({ lifetimeMs: 60_000 })
  t.teardown(() => endpoint.close())
  const first = await fromHttp({ awsContainerCredentialsFullUri: endpoint.url })()
  endpoint.setLifetime(120_000)
  const second = await fromHttp({ awsContainerCredentialsFullUri: endpoint.url })()
  t.equal(endpoint.fetchCount, 2)
  t.not(first.accessKeyId, second.accessKeyId)
  t.ok((second.expiration?.getTime() ?? 0) - (endpoint.issued[1]?.issuedAt.getTime() ?? 0) === 120_000)
})

t.test('the fake Bedrock accepts each issued set while valid and answers ExpiredTokenException after', async t => {
  const endpoint = await startFakeCredentialsEndpoint({ lifetimeMs: 400 })
  t.teardown(() => endpoint.close())
  const bedrock = await startFakeBedrock({ credentials: endpoint.lookup })
  t.teardown(() => bedrock.close())
  const credentials = await fromHttp({ awsContainerCredentialsFullUri: endpoint.url })()
  const client = runtimeClientFor(bedrock.url, { credentials })
  await client.send(converse)
  await new Promise(resolve => setTimeout(resolve, 500))
  await t.rejects(client.send(converse), { name: 'ExpiredTokenException', $metadata: { httpStatusCode: 403 } })
  const rotated = await fromHttp({ awsContainerCredentialsFullUri: endpoint.url })()
  await runtimeClientFor(bedrock.url, { credentials: rotated }).send(converse)
  t.same(bedrock.requests.map(request => request.signature?.accessKeyId), [credentials.accessKeyId, credentials.accessKeyId, rotated.accessKeyId])
})

t.test('an endpoint that requires an authorization token refuses fetches without it', async t => {
  const endpoint = await startFakeCredentialsEndpoint({ authorizationToken: 'container-auth-token' })
  t.teardown(() => endpoint.close())
  await t.rejects(fromHttp({ awsContainerCredentialsFullUri: endpoint.url, maxRetries: 0 })())
  const credentials = await fromHttp({ awsContainerCredentialsFullUri: endpoint.url, awsContainerAuthorizationToken: 'container-auth-token' })()
  t.equal(credentials.accessKeyId, endpoint.issued[0]?.accessKeyId)
  t.equal(endpoint.fetchCount, 1)
})

t.test('setFailure makes fetches fail until cleared', async t => {
  const endpoint = await startFakeCredentialsEndpoint()
  t.teardown(() => endpoint.close())
  endpoint.setFailure(500)
  await t.rejects(fromHttp({ awsContainerCredentialsFullUri: endpoint.url, maxRetries: 0 })())
  endpoint.setFailure(undefined)
  await fromHttp({ awsContainerCredentialsFullUri: endpoint.url, maxRetries: 0 })()
  t.equal(endpoint.fetchCount, 1)
})
