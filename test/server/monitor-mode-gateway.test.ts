/** Monitor mode end to end: allowlist refusals reach Bedrock and are recorded as would_deny; nothing else does. */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t from 'tap'
import { ApplyGuardrailCommand, ConverseCommand } from '@aws-sdk/client-bedrock-runtime'
import { FAKE_UPSTREAM_CREDENTIALS, sendSigned } from '../support/fake-bedrock/index.ts'
import { gatewayClient, inProcessLimitsYaml } from '../support/gateway-clients.ts'
import { SIGV4_CLIENT, startGatewayHarness, type GatewayHarness } from '../support/gateway-harness.ts'
import { capturedIo } from '../support/captured-io.ts'
import { main } from '../../src/cli/main.ts'

const MESSAGES = [{ role: 'user' as const, content: [{ text: 'hi' }] }]
const EU_PROFILE = 'eu.anthropic.claude-3-7-sonnet-20250219-v1:0'
const TRANSPORT = 'HTTP/1.1 (NodeHttpHandler)'
const DAY_MS = 86_400_000

function monitorYaml (untilMs: number): string {
  return `${inProcessLimitsYaml()}\nenforcement: { mode: monitor, until: "${new Date(untilMs).toISOString()}" }`
}

function auditLines (harness: GatewayHarness): Array<Record<string, unknown>> {
  return harness.logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.msg === 'bedrock request')
}

async function requestsTotal (harness: GatewayHarness, decision: string, reason: string): Promise<number> {
  const text = await (await fetch(`${harness.gateway.adminUrl}/metrics`)).text()
  const line = text.split('\n').find((candidate) => candidate.startsWith('bedrock_geofence_requests_total{') &&
    candidate.includes(`decision="${decision}"`) && candidate.includes(`reason="${reason}"`))
  return line === undefined ? 0 : Number(line.split(' ').at(-1))
}

t.test('in monitor mode, an allowlist refusal is forwarded, signed by the gateway, and recorded as would_deny', async (t) => {
  const harness = await startGatewayHarness(t, { extraYaml: monitorYaml(Date.now() + DAY_MS) })
  const client = gatewayClient(t, TRANSPORT, harness.gateway.url, { region: 'eu-west-2', credentials: SIGV4_CLIENT })
  const reply = await client.send(new ConverseCommand({ modelId: EU_PROFILE, messages: MESSAGES }))
  t.ok(reply.output?.message, 'the caller got Bedrock\'s answer')
  t.equal(harness.fake.requests.length, 1)
  t.match(harness.fake.requests[0]?.signature, { ok: true, accessKeyId: FAKE_UPSTREAM_CREDENTIALS.accessKeyId, region: 'eu-west-2' })
  t.match(auditLines(harness), [{ client: SIGV4_CLIENT.name, decision: 'would_deny', reason: 'PROFILE_PREFIX_NOT_ALLOWED', status: 200 }])
  t.equal(await requestsTotal(harness, 'would_deny', 'PROFILE_PREFIX_NOT_ALLOWED'), 1)
})

t.test('the report command summarises what monitor mode forwarded, from the gateway\'s own log', async (t) => {
  const harness = await startGatewayHarness(t, { extraYaml: monitorYaml(Date.now() + DAY_MS) })
  const client = gatewayClient(t, TRANSPORT, harness.gateway.url, { region: 'eu-west-2', credentials: SIGV4_CLIENT })
  for (let i = 0; i < 2; i++) await client.send(new ConverseCommand({ modelId: EU_PROFILE, messages: MESSAGES }))
  const logPath = join(t.testdir(), 'gateway.log')
  writeFileSync(logPath, harness.logLines.join(''))
  const io = capturedIo()
  t.equal(await main(['report', '--json', logPath], io), 0, io.err())
  t.match(JSON.parse(io.out()), { decision: 'would_deny', requests: 2, rows: [{ count: 2, client: SIGV4_CLIENT.name, reason: 'PROFILE_PREFIX_NOT_ALLOWED', model: EU_PROFILE }] })
})

t.test('in monitor mode, a refusal decided before the body is read is forwarded too', async (t) => {
  const harness = await startGatewayHarness(t, { extraYaml: monitorYaml(Date.now() + DAY_MS) })
  const client = gatewayClient(t, TRANSPORT, harness.gateway.url, { region: 'eu-central-1', credentials: SIGV4_CLIENT })
  await client.send(new ApplyGuardrailCommand({ guardrailIdentifier: 'abc123def456', guardrailVersion: '1', source: 'INPUT', content: [{ text: { text: 'hi' } }] }))
  t.equal(harness.fake.requests.length, 1)
  t.match(auditLines(harness), [{ operation: 'ApplyGuardrail', decision: 'would_deny', reason: 'REGION_NOT_ALLOWED' }])
})

t.test('in monitor mode, a malformed request is still refused, and nothing reaches Bedrock', async (t) => {
  const harness = await startGatewayHarness(t, { extraYaml: monitorYaml(Date.now() + DAY_MS) })
  const response = await sendSigned(harness.gateway.url, {
    method: 'POST',
    path: '/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse',
    body: '{"messages": [], "guardrailConfig": {"guardrailIdentifier": "a", "guardrailIdentifier": "b"}}',
    region: 'us-east-1',
    credentials: SIGV4_CLIENT
  })
  t.equal(response.status, 400)
  t.equal(harness.fake.requests.length, 0)
  t.match(auditLines(harness), [{ decision: 'denied', reason: 'MALFORMED_REQUEST' }])
})

t.test('in monitor mode, an unknown key is still refused, and nothing reaches Bedrock', async (t) => {
  const harness = await startGatewayHarness(t, { extraYaml: monitorYaml(Date.now() + DAY_MS) })
  const client = gatewayClient(t, TRANSPORT, harness.gateway.url, {
    region: 'eu-west-2',
    credentials: { accessKeyId: 'GEOFENCEUNKNOWNKEY01', secretAccessKey: SIGV4_CLIENT.secretAccessKey }
  })
  await t.rejects(client.send(new ConverseCommand({ modelId: EU_PROFILE, messages: MESSAGES })), { name: 'UnrecognizedClientException' })
  t.equal(harness.fake.requests.length, 0)
})

t.test('monitor mode that has ended enforces again, with no reload', async (t) => {
  // Long enough for a cold SDK's first call on a busy machine; the test then waits out the rest.
  const endMs = Date.now() + 5_000
  const harness = await startGatewayHarness(t, { extraYaml: monitorYaml(endMs) })
  const client = gatewayClient(t, TRANSPORT, harness.gateway.url, { region: 'eu-west-2', credentials: SIGV4_CLIENT })
  await client.send(new ConverseCommand({ modelId: EU_PROFILE, messages: MESSAGES }))
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, endMs - Date.now()) + 100))
  await t.rejects(client.send(new ConverseCommand({ modelId: EU_PROFILE, messages: MESSAGES })), { name: 'AccessDeniedException' })
  t.equal(harness.fake.requests.length, 1, 'only the call made while monitor mode lasted reached Bedrock')
  t.match(auditLines(harness).map((line) => line.decision), ['would_deny', 'denied'])
})

t.test('monitor mode is announced at startup and on /readyz', async (t) => {
  const until = Date.now() + DAY_MS
  const harness = await startGatewayHarness(t, { extraYaml: monitorYaml(until) })
  const warned = harness.logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => /monitor mode/.test(String(line.msg)))
  t.equal(warned.length, 1)
  t.match(warned[0], { level: 40, monitoring: [{ client: '*', until: new Date(until).toISOString() }] })
  const ready = await (await fetch(`${harness.gateway.adminUrl}/readyz`)).json() as Record<string, unknown>
  t.match(ready, { ready: true, enforcement: { mode: 'monitor', monitoring: [{ client: '*' }] } })
})
