/** /readyz and /healthz of a started gateway whose AWS credential source misbehaves. */
import t from 'tap'
import type { Test } from 'tap'
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime'
import type { AwsCredentialIdentityProvider } from '@smithy/types'
import { type Logger, pino } from 'pino'
import { loadConfig } from '../../src/config/load-config.ts'
import { startGateway, type RunningGateway } from '../../src/server/serve.ts'
import { FAKE_UPSTREAM_CREDENTIALS, startFakeBedrock, type FakeBedrock } from '../support/fake-bedrock/index.ts'
import { writeConfig } from '../support/config-file.ts'
import { gatewayClient, inProcessLimitsYaml } from '../support/gateway-clients.ts'
import { SIGV4_CLIENT, TEST_ENV, testConfigYaml } from '../support/gateway-harness.ts'

const PROVIDER_FAILURE = 'Could not load credentials from any providers'
const RECOVERY_WAIT_MS = 5000
const POLL_MS = 50
/** pino's number for the error level. */
const ERROR_LEVEL = 50

async function gatewayWith (t: Test, credentialProvider: AwsCredentialIdentityProvider,
  logger: Logger = pino({ level: 'silent' })): Promise<{ fake: FakeBedrock; gateway: RunningGateway }> {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  const config = await loadConfig(writeConfig(t, testConfigYaml(fake.url, inProcessLimitsYaml())), TEST_ENV)
  const gateway = await startGateway(config, { credentialProvider, logger })
  t.teardown(() => gateway.shutdown())
  return { fake, gateway }
}

async function probe (gateway: RunningGateway, path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${gateway.adminUrl}${path}`)
  return { status: response.status, body: await response.json() as Record<string, unknown> }
}

t.test('credentials that do not resolve: /readyz is 503 and says so, /healthz stays 200, calls get a 503', async (t) => {
  const { fake, gateway } = await gatewayWith(t, async () => { throw new Error(PROVIDER_FAILURE) })
  const ready = await probe(gateway, '/readyz')
  t.equal(ready.status, 503)
  t.match(ready.body, {
    ready: false,
    checks: {
      config: { ok: true },
      credentials: { ok: false, detail: new RegExp(`AWS credentials do not resolve: .*${PROVIDER_FAILURE}`) },
      draining: { ok: true }
    }
  })
  t.equal((await probe(gateway, '/healthz')).status, 200, 'the process is alive: no restart needed')
  const client = gatewayClient(t, 'HTTP/1.1 (NodeHttpHandler)', gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
  const call = client.send(new ConverseCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', messages: [{ role: 'user', content: [{ text: 'hi' }] }] }))
  await t.rejects(call, { name: 'ServiceUnavailableException' }, 'a caller is told to retry later')
  t.equal(fake.requests.length, 0, 'nothing was sent unsigned')
})

t.test('credentials that do not resolve at startup: one error line says so, with the cause and where credentials come from', async (t) => {
  const lines: Array<Record<string, unknown>> = []
  const logger = pino({ level: 'info' }, { write: (line: string) => { lines.push(JSON.parse(line) as Record<string, unknown>) } })
  await gatewayWith(t, async () => { throw new Error(PROVIDER_FAILURE) }, logger)
  const errors = lines.filter((line) => line.level === ERROR_LEVEL)
  t.equal(errors.length, 1)
  t.match(errors[0], { cause: new RegExp(PROVIDER_FAILURE), msg: /no usable AWS credentials.*AWS_ACCESS_KEY_ID.*AWS_PROFILE.*answered 503/ })
})

t.test('credentials that resolve at startup: nothing is said about them', async (t) => {
  const lines: Array<Record<string, unknown>> = []
  const logger = pino({ level: 'info' }, { write: (line: string) => { lines.push(JSON.parse(line) as Record<string, unknown>) } })
  await gatewayWith(t, async () => FAKE_UPSTREAM_CREDENTIALS, logger)
  t.same(lines.filter((line) => /credentials/.test(String(line.msg))), [])
})

t.test('readiness follows the credentials: ready again once a retry fetches them', async (t) => {
  let calls = 0
  const { gateway } = await gatewayWith(t, async () => {
    calls++
    if (calls === 1) throw new Error(PROVIDER_FAILURE)
    return FAKE_UPSTREAM_CREDENTIALS
  })
  t.equal((await probe(gateway, '/readyz')).status, 503)
  const deadline = Date.now() + RECOVERY_WAIT_MS
  let status = 503
  while (status !== 200 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
    status = (await probe(gateway, '/readyz')).status
  }
  t.equal(status, 200, 'ready after the background retry, without any request asking for credentials')
})

t.test('credentials about to expire are not ready, and /readyz says how long they have', async (t) => {
  const { gateway } = await gatewayWith(t, async () => ({ ...FAKE_UPSTREAM_CREDENTIALS, expiration: new Date(Date.now() + 30_000) }))
  const ready = await probe(gateway, '/readyz')
  t.equal(ready.status, 503)
  t.match(ready.body, { checks: { credentials: { ok: false, expiresInSeconds: Number, detail: /expire in \d+ s/ } } })
})
