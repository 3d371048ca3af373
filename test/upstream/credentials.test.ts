import t from 'tap'
import { setTimeout as sleep } from 'node:timers/promises'
import type { AwsCredentialIdentity } from '@smithy/types'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createCredentialSource } from '../../src/upstream/credentials.ts'

const config = { sessionName: 'bedrock-geofence', refreshBeforeExpirySeconds: 2 }

/** A credential issuer like STS or a metadata endpoint: every call hands out new keys living `lifetimeMs`. */
function issuer (lifetimeMs?: number) {
  const issued: AwsCredentialIdentity[] = []
  let failing = false
  const provide = async (): Promise<AwsCredentialIdentity> => {
    if (failing) throw new Error('metadata endpoint unreachable')
    const credentials = {
      accessKeyId: `ASIAFAKE${issued.length}`,
      secretAccessKey: `secret-${issued.length}`,
      sessionToken: `token-${issued.length}`,
      expiration: lifetimeMs === undefined ? undefined : new Date(Date.now() + lifetimeMs)
    }
    issued.push(credentials)
    return credentials
  }
  return { provide, issued, fail: () => { failing = true }, recover: () => { failing = false } }
}

t.test('concurrent first requests share a single fetch', async (t) => {
  let calls = 0
  const source = createCredentialSource(config, async () => {
    calls++
    await sleep(50)
    return { accessKeyId: 'AKIDSLOW', secretAccessKey: 'secret' }
  })
  const results = await Promise.all(Array.from({ length: 50 }, () => source.get()))
  t.equal(calls, 1)
  t.ok(results.every((credentials) => credentials.accessKeyId === 'AKIDSLOW'))
})

t.test('cached credentials are never fetched again per request', async (t) => {
  const { provide, issued } = issuer(60 * 60 * 1000)
  const source = createCredentialSource(config, provide)
  for (let i = 0; i < 1000; i++) await source.get()
  t.equal(issued.length, 1)
})

t.test('short-lived credentials are replaced in the background before they expire', async (t) => {
  const { provide, issued } = issuer(3_000)
  const source = createCredentialSource(config, provide)
  t.teardown(() => source.stop())
  await source.start()
  t.equal(issued.length, 1)
  await sleep(1_400)
  t.equal(issued.length, 2, 'refreshed once, about 2 s before the first ones expire')
  const first = issued[0] as AwsCredentialIdentity
  t.ok((first.expiration as Date).getTime() > Date.now() + 1_000, 'while the first ones were still valid')
  t.equal((await source.get()).accessKeyId, 'ASIAFAKE1')
  t.equal(issued.length, 2, 'the request did not fetch')
})

t.test('while a refresh fails the current credentials stay in use, and expired ones are never handed out', async (t) => {
  const { provide, issued, fail } = issuer(2_500)
  const source = createCredentialSource(config, provide)
  t.teardown(() => source.stop())
  await source.start()
  fail()
  await sleep(1_000)
  t.equal((await source.get()).accessKeyId, 'ASIAFAKE0')
  t.match(source.status(), { ok: true, error: /metadata endpoint unreachable/ })
  await sleep(1_100)
  await t.rejects(source.get(), { name: 'ServiceUnavailableException', status: 503 })
  t.match(source.status(), { ok: false, expiresAt: issued[0]?.expiration, error: /metadata endpoint unreachable/ })
})

t.test('during an outage requests are refused at once, not each sent to the provider', async (t) => {
  let calls = 0
  const source = createCredentialSource(config, async () => { calls++; throw new Error('metadata endpoint unreachable') })
  for (let i = 0; i < 100; i++) await t.rejects(source.get(), { name: 'ServiceUnavailableException', status: 503 })
  t.equal(calls, 1)
  await sleep(1_100)
  await t.rejects(source.get(), { name: 'ServiceUnavailableException' })
  t.equal(calls, 2, 'asked again once the retry was due')
})

t.test('credentials that arrive already expired are refused', async (t) => {
  const { provide } = issuer(-1)
  const source = createCredentialSource(config, provide)
  await t.rejects(source.get(), { name: 'ServiceUnavailableException', status: 503 })
  t.match(source.status(), { ok: false, error: /already expired/ })
})

t.test('a failed first fetch is retried in the background until it succeeds', async (t) => {
  const { provide, fail, recover } = issuer(60 * 60 * 1000)
  const source = createCredentialSource(config, provide)
  t.teardown(() => source.stop())
  fail()
  await source.start()
  t.match(source.status(), { ok: false, error: /unreachable/ })
  recover()
  await sleep(1_300)
  t.match(source.status(), { ok: true, error: undefined })
})

t.test('credentials without an expiry are fetched once and reported without one', async (t) => {
  const { provide, issued } = issuer()
  const source = createCredentialSource(config, provide)
  t.teardown(() => source.stop())
  await source.start()
  await source.get()
  t.same(source.status(), { ok: true, expiresAt: undefined, error: undefined })
  t.equal(issued.length, 1)
})

t.test('without start() a due refresh is begun by a request, which is served the current credentials meanwhile', async (t) => {
  const { provide, issued } = issuer(3_000)
  const source = createCredentialSource(config, provide)
  await source.get()
  await sleep(1_100)
  t.equal((await source.get()).accessKeyId, 'ASIAFAKE0', 'served at once with the still-valid credentials')
  await sleep(20)
  t.equal(issued.length, 2)
  t.equal((await source.get()).accessKeyId, 'ASIAFAKE1')
})

/**
 * A container-credentials endpoint (what ECS and EKS Pod Identity serve) and an STS endpoint on loopback. The SDK's
 * own default chain is pointed at them through its documented environment variables, and everything else it could
 * read (environment keys, profiles, web identity, EC2 metadata) is switched off.
 */
const CONTAINER_TOKEN = 'fake-container-authorization-token'
const LIFETIME_MS = 3_000
const containerRequests: IncomingMessage[] = []
const stsRequests: { authorization: string, form: URLSearchParams }[] = []

function stsAssumeRoleXml (n: number): string {
  return `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <Credentials>
      <AccessKeyId>ASIAASSUMED${n}</AccessKeyId>
      <SecretAccessKey>assumed-secret-${n}</SecretAccessKey>
      <SessionToken>assumed-token-${n}</SessionToken>
      <Expiration>${new Date(Date.now() + LIFETIME_MS).toISOString()}</Expiration>
    </Credentials>
    <AssumedRoleUser>
      <AssumedRoleId>AROAFAKE:bedrock-geofence</AssumedRoleId>
      <Arn>arn:aws:sts::111122223333:assumed-role/geofence/bedrock-geofence</Arn>
    </AssumedRoleUser>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>4d3a6c2e-fake</RequestId></ResponseMetadata>
</AssumeRoleResponse>`
}

const server = createServer((req, res) => {
  if (req.method === 'GET') {
    containerRequests.push(req)
    const n = containerRequests.length - 1
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({
      AccessKeyId: `ASIACONTAINER${n}`,
      SecretAccessKey: `container-secret-${n}`,
      Token: `container-token-${n}`,
      Expiration: new Date(Date.now() + LIFETIME_MS).toISOString()
    }))
    return
  }
  const chunks: Buffer[] = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  req.on('end', () => {
    stsRequests.push({ authorization: req.headers.authorization ?? '', form: new URLSearchParams(Buffer.concat(chunks).toString()) })
    res.setHeader('content-type', 'text/xml')
    res.end(stsAssumeRoleXml(stsRequests.length - 1))
  })
})

t.before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_WEB_IDENTITY_TOKEN_FILE',
    'AWS_ROLE_ARN', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_ENDPOINT_URL']) delete process.env[name]
  Object.assign(process.env, {
    AWS_CONFIG_FILE: '/nonexistent/aws/config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws/credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONTAINER_CREDENTIALS_FULL_URI: `${origin}/v2/credentials`,
    AWS_CONTAINER_AUTHORIZATION_TOKEN: CONTAINER_TOKEN,
    AWS_ENDPOINT_URL_STS: origin,
    AWS_REGION: 'eu-west-2',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true'
  })
})
t.teardown(() => server.close())

t.test('the default chain reads the container endpoint and every refresh reaches it again', async (t) => {
  const source = createCredentialSource({ sessionName: 'bedrock-geofence', refreshBeforeExpirySeconds: 2 })
  t.teardown(() => source.stop())
  await source.start()
  t.equal((await source.get()).accessKeyId, 'ASIACONTAINER0')
  t.equal(containerRequests[0]?.headers.authorization, CONTAINER_TOKEN)
  await sleep(1_400)
  t.equal(containerRequests.length, 2, 'refreshed through the SDK chain, past its own memoization')
  t.equal((await source.get()).accessKeyId, 'ASIACONTAINER1')
  t.ok(source.status().ok)
})

t.test('with a role configured the gateway assumes it, signing the AssumeRole call with the chain credentials', async (t) => {
  const source = createCredentialSource({
    roleArn: 'arn:aws:iam::111122223333:role/geofence',
    externalId: 'geofence-external-id',
    sessionName: 'bedrock-geofence',
    refreshBeforeExpirySeconds: 2
  })
  const credentials = await source.get()
  t.match(credentials, { accessKeyId: 'ASIAASSUMED0', secretAccessKey: 'assumed-secret-0', sessionToken: 'assumed-token-0' })
  const [call] = stsRequests
  t.equal(call?.form.get('Action'), 'AssumeRole')
  t.equal(call?.form.get('RoleArn'), 'arn:aws:iam::111122223333:role/geofence')
  t.equal(call?.form.get('ExternalId'), 'geofence-external-id')
  t.equal(call?.form.get('RoleSessionName'), 'bedrock-geofence')
  t.match(call?.authorization, /Credential=ASIACONTAINER\d+\/\d{8}\/eu-west-2\/sts\/aws4_request/)
})
