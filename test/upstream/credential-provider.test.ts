import t from 'tap'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { createCredentialSource } from '../../src/upstream/credentials.ts'

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
