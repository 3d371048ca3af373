import t from 'tap'
import type { Test } from 'tap'
import { loadConfig } from '../../src/config/load-config.ts'
import type { GeofenceConfig } from '../../src/config/types.ts'
import { identityPolicy } from '../../src/policy/iam-policy.ts'
import { buildAdminApp, type AdminDeps } from '../../src/server/admin-app.ts'
import { createMetrics } from '../../src/server/metrics.ts'
import { createReadiness, type ReadinessChecks } from '../../src/server/readiness.ts'
import { MINIMAL_CONFIG, writeConfig } from '../support/config-file.ts'

const CLIENT_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYADMINTESTKEY'
const KEY_DIGEST = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'
const EXTERNAL_ID = 'geofence-external-id-4711'

const CONFIG_WITH_SECRETS = `${MINIMAL_CONFIG}
aws:
  roleArn: arn:aws:iam::111122223333:role/bedrock-geofence
  externalId: ${EXTERNAL_ID}
clients:
  - name: litellm
    accessKeyId: GEOFENCELITELLM01
    secretAccessKey: \${env:LITELLM_SECRET}
  - name: batch-tool
    apiKeySha256: ${KEY_DIGEST}
`

async function configWithSecrets (t: Test): Promise<GeofenceConfig> {
  return loadConfig(writeConfig(t, CONFIG_WITH_SECRETS), { LITELLM_SECRET: CLIENT_SECRET })
}

const HEALTHY: ReadinessChecks = {
  configLoaded: () => true,
  credentials: () => ({ ok: true, expiresAt: new Date(Date.now() + 3_600_000) }),
  draining: () => false,
  monitorWindows: () => [],
  simulatedUpstream: () => false
}

async function adminApp (t: Test, overrides: Partial<AdminDeps> = {}) {
  const config = await configWithSecrets(t)
  const metrics = createMetrics({ configuredClients: () => new Set(config.clients.map((c) => c.name)), credentials: HEALTHY.credentials, inFlight: () => ({ size: 0, streams: 0, bidirectionalStreams: 0 }) })
  const app = buildAdminApp({
    metrics,
    readiness: createReadiness(HEALTHY),
    effectiveConfig: () => config,
    policy: () => identityPolicy(config),
    ...overrides
  })
  t.teardown(() => app.close())
  return { app, config, metrics }
}

t.test('/healthz answers ok', async (t) => {
  const { app } = await adminApp(t)
  const response = await app.inject({ method: 'GET', url: '/healthz' })
  t.equal(response.statusCode, 200)
  t.same(response.json(), { status: 'ok' })
})

t.test('/readyz answers 200 with every check passed', async (t) => {
  const { app } = await adminApp(t)
  const response = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(response.statusCode, 200)
  t.match(response.json(), { status: 'ready', ready: true, checks: { config: { ok: true }, credentials: { ok: true }, draining: { ok: true } } })
})

t.test('/readyz answers 503 naming the check that failed when credentials do not resolve', async (t) => {
  const { app } = await adminApp(t, {
    readiness: createReadiness({ ...HEALTHY, credentials: () => ({ ok: false, error: 'Could not load credentials from any providers' }) })
  })
  const response = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(response.statusCode, 503)
  const body = response.json()
  t.match(body, { status: 'not ready', ready: false, checks: { credentials: { ok: false }, config: { ok: true } } })
  t.match(body.checks.credentials.detail, /Could not load credentials from any providers/)
})

t.test('/readyz turns 503 while draining', async (t) => {
  let draining = false
  const { app } = await adminApp(t, { readiness: createReadiness({ ...HEALTHY, draining: () => draining }) })
  t.equal((await app.inject({ method: 'GET', url: '/readyz' })).statusCode, 200)
  draining = true
  const response = await app.inject({ method: 'GET', url: '/readyz' })
  t.equal(response.statusCode, 503)
  t.equal(response.json().checks.draining.ok, false)
})

t.test('/metrics serves the registry in Prometheus text format', async (t) => {
  const { app, metrics } = await adminApp(t)
  metrics.recordRequest({ operation: 'Converse', region: 'eu-west-2', client: 'litellm', decision: 'denied', reason: 'REGION_NOT_ALLOWED' })
  const response = await app.inject({ method: 'GET', url: '/metrics' })
  t.equal(response.statusCode, 200)
  t.equal(response.headers['content-type'], metrics.registry.contentType)
  t.match(response.headers['content-type'], /^text\/plain; version=0\.0\.4/)
  t.match(response.body, /^bedrock_geofence_requests_total\{operation="Converse",region="eu-west-2",client="litellm",decision="denied",reason="REGION_NOT_ALLOWED"\} 1$/m)
})

t.test('/config shows the allowlist and clients but no secret', async (t) => {
  const { app, config } = await adminApp(t)
  const response = await app.inject({ method: 'GET', url: '/config' })
  t.equal(response.statusCode, 200)
  for (const secret of [CLIENT_SECRET, KEY_DIGEST, EXTERNAL_ID]) t.notOk(response.body.includes(secret), 'a secret is not shown')
  const shown = response.json()
  t.same(shown.allow, config.allow)
  t.same(shown.clients.map((c: { name: string }) => c.name), ['litellm', 'batch-tool'])
  t.equal(shown.clients[0].accessKeyId, 'GEOFENCELITELLM01', 'key ids identify clients and are shown')
  t.notOk('secretAccessKey' in shown.clients[0])
  t.notOk('apiKeySha256' in shown.clients[1])
  t.equal(shown.aws.roleArn, 'arn:aws:iam::111122223333:role/bedrock-geofence')
  t.equal(shown.aws.externalId, '[WITHHELD]', 'a configured external id is acknowledged, not shown')
})

t.test('/config shows that TLS is on but never the private key', async (t) => {
  const config = await configWithSecrets(t)
  const tls = { cert: '-----BEGIN CERTIFICATE-----\ncert\n-----END CERTIFICATE-----', key: '-----BEGIN PRIVATE KEY-----\nsecret-key\n-----END PRIVATE KEY-----' }
  const { app } = await adminApp(t, { effectiveConfig: () => ({ ...config, listen: { ...config.listen, tls } }) })
  const response = await app.inject({ method: 'GET', url: '/config' })
  t.notOk(response.body.includes('secret-key'), 'the private key is not shown')
  t.same(response.json().listen.tls, { cert: tls.cert, key: '[WITHHELD]' })
})

t.test('/config follows the config in force', async (t) => {
  const first = await configWithSecrets(t)
  let current = first
  const { app } = await adminApp(t, { effectiveConfig: () => current })
  current = { ...first, allow: { ...first.allow, regions: ['eu-west-2'] } }
  t.same((await app.inject({ method: 'GET', url: '/config' })).json().allow.regions, ['eu-west-2'])
})

t.test('/policy serves the IAM policy generated from the config', async (t) => {
  const { app, config } = await adminApp(t)
  const response = await app.inject({ method: 'GET', url: '/policy' })
  t.equal(response.statusCode, 200)
  t.same(response.json(), JSON.parse(JSON.stringify(identityPolicy(config))))
  t.equal(response.json().Version, '2012-10-17')
})

t.test('any other path or method is a JSON 404', async (t) => {
  const { app } = await adminApp(t)
  for (const [method, url] of [['GET', '/'], ['GET', '/model/anthropic.claude-v2/invoke'], ['POST', '/healthz'], ['DELETE', '/config']] as const) {
    const response = await app.inject({ method, url })
    t.equal(response.statusCode, 404, `${method} ${url}`)
    t.match(response.headers['content-type'], /^application\/json/)
    t.type(response.json().message, 'string')
  }
})

t.test('a failing dependency answers 500 without leaking its error', async (t) => {
  const { app } = await adminApp(t, { policy: () => { throw new Error(`generator broke near ${CLIENT_SECRET}`) } })
  const response = await app.inject({ method: 'GET', url: '/policy' })
  t.equal(response.statusCode, 500)
  t.notOk(response.body.includes(CLIENT_SECRET))
  t.notOk(response.body.includes('generator broke'))
})

t.test('the app serves over a real loopback socket', async (t) => {
  const { app } = await adminApp(t)
  const address = await app.listen({ host: '127.0.0.1', port: 0 })
  const response = await fetch(`${address}/healthz`)
  t.equal(response.status, 200)
  t.same(await response.json(), { status: 'ok' })
})
