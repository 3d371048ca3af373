/** The startup check of the Bedrock control plane: one plain error line naming the cause and the fix, or nothing. */
import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime'
import { pino } from 'pino'
import { loadConfig } from '../../src/config/load-config.ts'
import { ControlPlaneError } from '../../src/routing/control-plane-failure.ts'
import type { ControlPlaneClient } from '../../src/routing/types.ts'
import { checkControlPlaneAtStartup, PROBE_PROFILE_ID } from '../../src/server/control-plane-probe.ts'
import { startGateway, type RunningGateway } from '../../src/server/serve.ts'
import { freeLoopbackPort } from '../support/free-loopback-port.ts'
import { writeConfig } from '../support/config-file.ts'
import { FAKE_UPSTREAM_CREDENTIALS, startFakeBedrock, startFakeControlPlane, type FakeControlPlane, type FakeControlPlaneOptions } from '../support/fake-bedrock/index.ts'
import { gatewayClient, inProcessLimitsYaml } from '../support/gateway-clients.ts'
import { startGatewayProcess } from '../support/gateway-process.ts'
import { SIGV4_CLIENT, TEST_ENV, testConfigYaml } from '../support/gateway-harness.ts'
import { selfSignedCertificate } from '../support/self-signed-certificate.ts'

/** pino's number for the error level. */
const ERROR_LEVEL = 50
const WHAT_AWS_SAID = 'User: arn:aws:sts::111122223333:assumed-role/gateway-role/i-0abc is not authorized'
const SHORT_LOOKUP_TIMEOUT_MS = 300

interface Started {
  readonly gateway: RunningGateway
  readonly lines: Array<Record<string, unknown>>
  readonly errors: () => Array<Record<string, unknown>>
}

/** A gateway whose control plane is `controlPlaneUrl`, its log kept; `allowYaml` is one more line of `allow`. */
async function gatewayWith (t: Test, controlPlaneUrl: string, options: { allowYaml?: string, extraYaml?: string } = {}): Promise<Started> {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  const yaml = testConfigYaml(fake.url, `${inProcessLimitsYaml()}\n${options.extraYaml ?? ''}`, controlPlaneUrl, controlPlaneUrl, [], options.allowYaml)
  const config = await loadConfig(writeConfig(t, yaml), TEST_ENV)
  const lines: Array<Record<string, unknown>> = []
  const logger = pino({ level: 'info' }, { write: (line: string) => { lines.push(JSON.parse(line) as Record<string, unknown>) } })
  const gateway = await startGateway(config, { credentialProvider: async () => FAKE_UPSTREAM_CREDENTIALS, logger })
  t.teardown(() => gateway.shutdown())
  return { gateway, lines, errors: () => lines.filter((line) => line.level === ERROR_LEVEL) }
}

async function fakeControlPlane (t: Test, options: FakeControlPlaneOptions = {}): Promise<FakeControlPlane> {
  const controlPlane = await startFakeControlPlane(options)
  t.teardown(() => controlPlane.close())
  return controlPlane
}

t.test('a control plane that answers 403 AccessDenied: one error line names the permission and where to get it', async (t) => {
  const controlPlane = await fakeControlPlane(t, { fault: { kind: 'error', errorType: 'AccessDeniedException', message: WHAT_AWS_SAID } })
  const { gateway, errors } = await gatewayWith(t, controlPlane.url)
  await gateway.checkControlPlane()
  t.equal(controlPlane.lookups('GetInferenceProfile', PROBE_PROFILE_ID), 1, 'asked once, about a profile no one has')
  t.equal(errors().length, 1)
  t.match(errors()[0], {
    region: 'us-east-1',
    failure: 'access-denied',
    msg: /^the Bedrock control plane cannot be used: AWS refused the gateway's role \(403 AccessDeniedException\)\. Fix: give the gateway's role bedrock:GetInferenceProfile and bedrock:GetPromptRouter in the allowed regions: `npx bedrock-geofence policy --for gateway` prints .*refused with ROUTING_UNVERIFIED/
  })
  t.notMatch(JSON.stringify(errors()), 'arn:aws:sts', 'nothing AWS said is logged')
  t.equal((await fetch(`${gateway.adminUrl}/readyz`)).status, 200, 'readiness does not depend on the control plane')
})

t.test('the real process: serve checks the control plane once after it listens, and says what is wrong', async (t) => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  const controlPlane = await fakeControlPlane(t, { fault: { kind: 'error', errorType: 'AccessDeniedException' } })
  const gateway = await startGatewayProcess(t, writeConfig(t, testConfigYaml(fake.url, '', controlPlane.url)))
  const line = await gateway.waitForLog((logged) => /control plane cannot be used/.test(String(logged.msg)))
  t.match(line, { level: 'error', failure: 'access-denied', msg: /bedrock:GetInferenceProfile/ })
  t.equal(controlPlane.lookups('GetInferenceProfile', PROBE_PROFILE_ID), 1)
  t.equal((await fetch(`${gateway.adminUrl}/readyz`)).status, 200)
})

t.test('nothing listening at the control plane: the refused connection, and which setting to check', async (t) => {
  const { gateway, errors } = await gatewayWith(t, `http://127.0.0.1:${await freeLoopbackPort()}`)
  await gateway.checkControlPlane()
  t.equal(errors().length, 1)
  t.match(errors()[0], { failure: 'unreachable', msg: /: the connection was refused \(ECONNREFUSED\): nothing listens at that host and port\. Fix: check the host and port in upstream\.controlPlaneEndpoint/ })
})

t.test('a control plane whose certificate is not trusted: the TLS failure, and NODE_EXTRA_CA_CERTS', async (t) => {
  const { cert, key } = selfSignedCertificate(t)
  const server = createServer({ cert, key }, (_request, response) => response.end())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const { gateway, errors } = await gatewayWith(t, `https://127.0.0.1:${(server.address() as AddressInfo).port}`)
  await gateway.checkControlPlane()
  t.equal(errors().length, 1)
  t.match(errors()[0], { failure: 'unreachable', msg: /: the TLS handshake failed \([A-Z_]+\): the certificate is not trusted .*NODE_EXTRA_CA_CERTS/ })
})

t.test('a control plane that never answers: startup and serving do not wait for it; the timeout is logged', async (t) => {
  const controlPlane = await fakeControlPlane(t, { fault: { kind: 'hang' } })
  const { gateway, errors } = await gatewayWith(t, controlPlane.url, { extraYaml: `routing: { lookupTimeoutMs: ${SHORT_LOOKUP_TIMEOUT_MS} }` })
  const checked = gateway.checkControlPlane()
  const client = gatewayClient(t, 'HTTP/1.1 (NodeHttpHandler)', gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
  const answer = await client.send(new ConverseCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', messages: [{ role: 'user', content: [{ text: 'hi' }] }] }))
  t.ok(answer.output?.message, 'a call needing no lookup is served')
  await checked
  t.equal(errors().length, 1)
  t.match(errors()[0], { failure: 'timeout', msg: `no answer within routing.lookupTimeoutMs (${SHORT_LOOKUP_TIMEOUT_MS} ms)` })
})

t.test('an endpoint that is not the control plane (bedrock-runtime): said so, with the host to name', async (t) => {
  const runtime = await startFakeBedrock()
  t.teardown(() => runtime.close())
  const { gateway, errors } = await gatewayWith(t, runtime.url)
  await gateway.checkControlPlane()
  t.equal(errors().length, 1)
  t.match(errors()[0], { failure: 'not-found', msg: /: the endpoint does not answer as the Bedrock control plane does \(.*HTTP 404 UnknownOperationException\)\)\. Fix: check that upstream\.controlPlaneEndpoint names bedrock\.\{region\}/ })
})

t.test('a control plane that answers: nothing is logged', async (t) => {
  const controlPlane = await fakeControlPlane(t)
  const { gateway, lines } = await gatewayWith(t, controlPlane.url)
  await gateway.checkControlPlane()
  t.equal(controlPlane.lookups('GetInferenceProfile', PROBE_PROFILE_ID), 1)
  t.same(lines.filter((line) => /control plane/.test(String(line.msg))), [])
})

t.test('a config that never asks the control plane is not probed', async (t) => {
  const controlPlane = await fakeControlPlane(t, { fault: { kind: 'error', errorType: 'AccessDeniedException' } })
  const { gateway, errors } = await gatewayWith(t, controlPlane.url, { allowYaml: 'applicationInferenceProfiles: deny\n  promptRouters: deny' })
  await gateway.checkControlPlane()
  t.equal(controlPlane.lookups(), 0)
  t.same(errors(), [])
})

t.test('a host name that does not resolve is named as DNS, with the setting to check', async (t) => {
  const client: ControlPlaneClient = {
    getInferenceProfile: async () => { throw new ControlPlaneError('unreachable', 'GetInferenceProfile', 'could not reach the control plane (ENOTFOUND)', 'ENOTFOUND') },
    getPromptRouter: async () => { throw new Error('not asked') },
    listInferenceProfiles: async () => { throw new Error('not asked') },
    close: async () => {}
  }
  const config = await loadConfig(writeConfig(t, testConfigYaml('http://127.0.0.1:1')), TEST_ENV)
  const lines: Array<Record<string, unknown>> = []
  await checkControlPlaneAtStartup(client, config, pino({ level: 'info' }, { write: (line: string) => { lines.push(JSON.parse(line) as Record<string, unknown>) } }))
  t.equal(lines.length, 1)
  t.match(lines[0], { level: ERROR_LEVEL, msg: /: the endpoint's host name does not resolve \(DNS, ENOTFOUND\)\. Fix: check the host in upstream\.controlPlaneEndpoint and the DNS/ })
})
