import t, { type Test } from 'tap'
import { ConverseCommand, type BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime'
import { METRICS_PATH, READYZ_PATH } from '../../src/server/admin-app.ts'
import { FAKE_UPSTREAM_CREDENTIALS, systemProfile, type FakeControlPlaneOptions } from '../support/fake-bedrock/index.ts'
import { SDK_TRANSPORTS, gatewayClient, inProcessLimitsYaml } from '../support/gateway-clients.ts'
import { SIGV4_CLIENT, startGatewayHarness, type GatewayHarness } from '../support/gateway-harness.ts'
import {
  EU_FALLBACK_ROUTER, PARIS_APP, ROUTED_MODEL, ROUTING_FIXTURES, GENEROUS_LOOKUP_TIMEOUT_MS, SHORT_LOOKUP_TIMEOUT_MS, US_APP, US_ROUTER, US_SYSTEM
} from '../support/routing-fixtures.ts'

const MESSAGES = [{ role: 'user' as const, content: [{ text: 'Where will this run?' }] }]
const [HTTP2] = SDK_TRANSPORTS

/** Routing settings for tests: failures not remembered, so recovery shows at once. */
function routingYaml (settings: Readonly<Record<string, string | number>> = {}): string {
  return `${inProcessLimitsYaml()}
routing: ${JSON.stringify({ lookupTimeoutMs: GENEROUS_LOOKUP_TIMEOUT_MS, negativeCacheTtlSeconds: 0, ...settings })}
`
}

async function routingHarness (t: Test, settings: Readonly<Record<string, string | number>> = {},
  controlPlane: FakeControlPlaneOptions = ROUTING_FIXTURES): Promise<GatewayHarness & { client: BedrockRuntimeClient }> {
  const harness = await startGatewayHarness(t, { controlPlane, extraYaml: routingYaml(settings) })
  const client = gatewayClient(t, HTTP2, harness.gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
  return { ...harness, client }
}

/** The error the SDK threw for a refused call, with its status and message. */
async function refusal (client: BedrockRuntimeClient, modelId: string): Promise<{ name: string, status?: number, message: string }> {
  try {
    await client.send(new ConverseCommand({ modelId, messages: MESSAGES }))
  } catch (error) {
    const { name, message, $metadata } = error as Error & { $metadata?: { httpStatusCode?: number } }
    return { name, status: $metadata?.httpStatusCode, message }
  }
  throw new Error(`${modelId} was allowed, expected a refusal`)
}

for (const transport of SDK_TRANSPORTS) {
  t.test(`over ${transport}: an application profile whose models all run in allowed regions works end to end`, async (t) => {
    const harness = await startGatewayHarness(t, { controlPlane: ROUTING_FIXTURES, extraYaml: routingYaml() })
    const client = gatewayClient(t, transport, harness.gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
    const arn = US_APP.profile.inferenceProfileArn
    const reply = await client.send(new ConverseCommand({ modelId: arn, messages: MESSAGES }))
    t.equal(reply.output?.message?.content?.[0]?.text, harness.fake.lastResponseText)
    t.equal(harness.fake.requests[0]?.path, `/model/${encodeURIComponent(arn)}/converse`, 'the upstream receives the ARN unchanged')
    const [lookup] = harness.controlPlane!.requests
    t.equal(harness.controlPlane!.lookups('GetInferenceProfile', arn), 1)
    t.match(lookup?.signature, { ok: true, accessKeyId: FAKE_UPSTREAM_CREDENTIALS.accessKeyId, region: 'us-east-1' },
      'looked up in the requested region with the gateway\'s own credentials')
  })
}

t.test('an application profile with a model in eu-west-3 is refused, naming eu-west-3, and Bedrock never sees it', async (t) => {
  const { client, fake } = await routingHarness(t)
  const refused = await refusal(client, PARIS_APP.profile.inferenceProfileArn)
  t.equal(refused.name, 'AccessDeniedException')
  t.equal(refused.status, 403)
  t.match(refused.message, /PROFILE_ROUTES_OUTSIDE_ALLOWLIST: .*application profile can run in eu-west-3/)
  t.equal(fake.requests.length, 0)
})

t.test('a prompt router whose fallback is an eu. profile is refused; one that stays in the us. regions is served', async (t) => {
  const { client, fake } = await routingHarness(t)
  const refused = await refusal(client, EU_FALLBACK_ROUTER.router.promptRouterArn)
  t.equal(refused.status, 403)
  t.match(refused.message, /prompt router can run in eu-central-1 \(via fallbackModel -> inference-profile\/eu\.[^)]*\), eu-west-1/)
  t.equal(fake.requests.length, 0)
  const reply = await client.send(new ConverseCommand({ modelId: US_ROUTER.router.promptRouterArn, messages: MESSAGES }))
  t.equal(reply.output?.message?.content?.[0]?.text, fake.lastResponseText)
})

t.test('a control plane that does not answer makes the request ROUTING_UNVERIFIED (403), and the next one after recovery works', async (t) => {
  const { client, fake, controlPlane } = await routingHarness(t, { lookupTimeoutMs: SHORT_LOOKUP_TIMEOUT_MS })
  controlPlane!.setFault({ kind: 'hang' })
  const refused = await refusal(client, US_APP.profile.inferenceProfileArn)
  t.equal(refused.name, 'AccessDeniedException')
  t.equal(refused.status, 403, 'not a 5xx, which LiteLLM would retry forever')
  t.match(refused.message, `ROUTING_UNVERIFIED: path.modelId "${US_APP.profile.inferenceProfileArn}": where this application profile can run from us-east-1 could not be verified: GetInferenceProfile "${US_APP.profile.inferenceProfileArn}" in us-east-1 timed out after ${SHORT_LOOKUP_TIMEOUT_MS} ms`)
  t.notMatch(refused.message, /127\.0\.0\.1|http:/)
  t.equal(fake.requests.length, 0)
  controlPlane!.setFault(undefined)
  const reply = await client.send(new ConverseCommand({ modelId: US_APP.profile.inferenceProfileArn, messages: MESSAGES }))
  t.equal(reply.output?.message?.content?.[0]?.text, fake.lastResponseText)
})

t.test('a control plane that is down, or that refuses the gateway\'s role, is ROUTING_UNVERIFIED too', async (t) => {
  const { client, controlPlane } = await routingHarness(t)
  controlPlane!.nextFault({ kind: 'reset' })
  t.match((await refusal(client, US_APP.profile.inferenceProfileArn)).message, /ROUTING_UNVERIFIED: .*could not reach the control plane/)
  controlPlane!.nextFault({ kind: 'error', errorType: 'AccessDeniedException' })
  const denied = await refusal(client, US_APP.profile.inferenceProfileArn)
  t.equal(denied.status, 403)
  t.match(denied.message, /ROUTING_UNVERIFIED: .*the gateway's role needs bedrock:GetInferenceProfile/)
})

t.test('readiness does not depend on the control plane', async (t) => {
  const { gateway, controlPlane } = await routingHarness(t)
  controlPlane!.setFault({ kind: 'error', errorType: 'ServiceUnavailableException' })
  const response = await fetch(`${gateway.adminUrl}${READYZ_PATH}`)
  t.equal(response.status, 200)
})

t.test('50 concurrent first requests for one profile make exactly one lookup', async (t) => {
  const { client, fake, controlPlane } = await routingHarness(t)
  const arn = US_APP.profile.inferenceProfileArn
  const replies = await Promise.all(Array.from({ length: 50 }, () => client.send(new ConverseCommand({ modelId: arn, messages: MESSAGES }))))
  t.equal(replies.length, 50)
  t.equal(controlPlane!.lookups('GetInferenceProfile', arn), 1)
  t.equal(fake.requests.length, 50)
})

t.test('when the cache TTL runs out the next request looks the profile up again', async (t) => {
  const { client, controlPlane } = await routingHarness(t, { cacheTtlSeconds: 1 })
  const arn = US_APP.profile.inferenceProfileArn
  await client.send(new ConverseCommand({ modelId: arn, messages: MESSAGES }))
  await client.send(new ConverseCommand({ modelId: arn, messages: MESSAGES }))
  t.equal(controlPlane!.lookups('GetInferenceProfile', arn), 1, 'the second request used the cache')
  await new Promise((resolve) => setTimeout(resolve, 1_100))
  await client.send(new ConverseCommand({ modelId: arn, messages: MESSAGES }))
  t.equal(controlPlane!.lookups('GetInferenceProfile', arn), 2)
})

t.test('live mode: when AWS reports that us.x can now reach eu-west-1 the gateway refuses it; catalog mode allows it', async (t) => {
  const widened = systemProfile({ id: US_SYSTEM.profile.inferenceProfileId, sourceRegion: 'us-east-1', destinationRegions: ['us-east-1', 'us-west-2', 'eu-west-1'] })
  const fixtures = { inferenceProfiles: [widened] }
  const profileId = `us.${ROUTED_MODEL}`

  const live = await routingHarness(t, { verify: 'live' }, fixtures)
  const refused = await refusal(live.client, profileId)
  t.equal(refused.status, 403)
  t.match(refused.message, /PROFILE_ROUTES_OUTSIDE_ALLOWLIST: .*inference profile can run in eu-west-1/)
  t.equal(live.fake.requests.length, 0)

  const catalog = await routingHarness(t, { verify: 'catalog' }, fixtures)
  const reply = await catalog.client.send(new ConverseCommand({ modelId: profileId, messages: MESSAGES }))
  t.equal(reply.output?.message?.content?.[0]?.text, catalog.fake.lastResponseText)
  t.equal(catalog.controlPlane!.lookups(), 0, 'catalog mode never asks')
})

t.test('live mode: a system profile whose destinations AWS reports inside the allowlist is served', async (t) => {
  const { client, fake, controlPlane } = await routingHarness(t, { verify: 'live' })
  const reply = await client.send(new ConverseCommand({ modelId: US_SYSTEM.profile.inferenceProfileId, messages: MESSAGES }))
  t.equal(reply.output?.message?.content?.[0]?.text, fake.lastResponseText)
  t.equal(controlPlane!.lookups('GetInferenceProfile', US_SYSTEM.profile.inferenceProfileId), 1)
})

t.test('metrics count lookups by result and cache hits', async (t) => {
  const { client, gateway } = await routingHarness(t)
  const arn = US_APP.profile.inferenceProfileArn
  await client.send(new ConverseCommand({ modelId: arn, messages: MESSAGES }))
  await client.send(new ConverseCommand({ modelId: arn, messages: MESSAGES }))
  await refusal(client, 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/000000000000')
  const text = await (await fetch(`${gateway.adminUrl}${METRICS_PATH}`)).text()
  t.match(text, /^bedrock_geofence_routing_lookups_total\{result="resolved"\} 1$/m)
  t.match(text, /^bedrock_geofence_routing_lookups_total\{result="not-found"\} 1$/m)
  t.match(text, /^bedrock_geofence_routing_lookups_total\{result="timeout"\} 0$/m)
  t.match(text, /^bedrock_geofence_routing_cache_hits_total 1$/m)
  t.match(text, /^bedrock_geofence_routing_lookup_seconds_count 2$/m)
})
