import t, { type Test } from 'tap'
import { main } from '../../src/cli/main.ts'
import { capturedIo } from '../support/captured-io.ts'
import { writeConfig } from '../support/config-file.ts'
import { useFakeGatewayCredentials } from '../support/control-plane-credentials.ts'
import {
  applicationProfile, promptRouter, startFakeControlPlane, systemProfile, type FakeControlPlane
} from '../support/fake-bedrock/index.ts'
import { SHIPPED_CONFIG_PATH } from '../support/shipped-config.ts'

const SONNET = 'anthropic.claude-3-5-sonnet-20241022-v2:0'

async function explain (...args: string[]): Promise<{ code: number, out: string, err: string }> {
  const io = capturedIo()
  const code = await main(['explain', '--config', SHIPPED_CONFIG_PATH, ...args], io)
  return { code, out: io.out(), err: io.err() }
}

t.test('an allowed request prints the decision, the reason code and the message, and exits 0', async (t) => {
  const { code, out } = await explain('--region', 'us-east-1', '--model', SONNET)
  t.equal(code, 0)
  t.match(out, /^decision: allowed\nreason: +ALLOWED\nmessage: +\S.*\n$/)
})

t.test('a system profile also prints where the routing catalog says it can run from the requested region', async (t) => {
  const { code, out } = await explain('--region', 'us-east-1', '--model', `us.${SONNET}`)
  t.equal(code, 0)
  t.match(out, `\nroutes:   "us.${SONNET}" from us-east-1: us-east-1, us-east-2, us-west-2, us-west-1 (routing catalog 2025-12)\n`)
})

t.test('a profile outside the allowed prefixes is denied with its reason, exit 1', async (t) => {
  const { code, out } = await explain('--region', 'eu-west-2', '--model', `eu.${SONNET}`)
  t.equal(code, 1)
  t.match(out, /^decision: denied\nreason: +PROFILE_PREFIX_NOT_ALLOWED\nmessage: .*"eu"/)
})

t.test('a region outside the allowlist is denied', async (t) => {
  const { code, out } = await explain('--region', 'eu-west-3', '--model', SONNET)
  t.equal(code, 1)
  t.match(out, 'reason:   REGION_NOT_ALLOWED')
})

t.test('global is denied with its own reason', async (t) => {
  const { code, out } = await explain('--region', 'us-east-1', '--model', `global.${SONNET}`)
  t.equal(code, 1)
  t.match(out, 'reason:   GLOBAL_PROFILE_NOT_ALLOWED')
})

t.test('an ARN naming another region than the requested one is denied', async (t) => {
  const { code, out } = await explain('--region', 'us-east-1', '--model', `arn:aws:bedrock:us-west-2::foundation-model/${SONNET}`)
  t.equal(code, 1)
  t.match(out, 'reason:   ARN_REGION_MISMATCH')
})

t.test('a double-encoded model id is malformed', async (t) => {
  const { code, out } = await explain('--region', 'us-east-1', '--model', 'us.anthropic.claude-3-5-sonnet-20241022-v2%253A0')
  t.equal(code, 1)
  t.match(out, 'reason:   MALFORMED_REQUEST')
})

t.test('--operation picks the operation, checked against allow.operations', async (t) => {
  const { code, out } = await explain('--region', 'us-east-1', '--model', SONNET, '--operation', 'CountTokens')
  t.equal(code, 1)
  t.match(out, 'reason:   OPERATION_NOT_ALLOWED')
})

t.test('--json prints the same decision for machines', async (t) => {
  const { code, out } = await explain('--region', 'eu-west-2', '--model', `eu.${SONNET}`, '--operation', 'Converse', '--json')
  t.equal(code, 1)
  const decision = JSON.parse(out) as Record<string, unknown>
  t.match(decision, {
    decision: 'denied',
    allowed: false,
    reason: 'PROFILE_PREFIX_NOT_ALLOWED',
    message: String,
    region: 'eu-west-2',
    operation: 'Converse',
    model: `eu.${SONNET}`
  })
})

t.test('an unknown operation is a usage error with a suggestion', async (t) => {
  const { code, err } = await explain('--region', 'us-east-1', '--model', SONNET, '--operation', 'Converce')
  t.equal(code, 2)
  t.match(err, '"Converce" is not a Bedrock operation the gateway knows (did you mean Converse?)')
})

t.test('--region and --model are required', async (t) => {
  const { code, err } = await explain('--model', SONNET)
  t.equal(code, 2)
  t.match(err, "required option '--region <region>' not specified")
})

t.test('--client decides with that client\'s narrowed allowlist', async (t) => {
  const path = writeConfig(t, `
allow: { regions: [us-east-1, us-east-2, us-west-1, us-west-2, eu-west-2], inferenceProfilePrefixes: [us] }
clients:
  - { name: london, apiKeySha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08, allow: { regions: [eu-west-2] } }
`)
  const globally = capturedIo()
  t.equal(await main(['explain', '--config', path, '--region', 'us-east-1', '--model', SONNET], globally), 0)
  const forClient = capturedIo()
  t.equal(await main(['explain', '--config', path, '--region', 'us-east-1', '--model', SONNET, '--client', 'london'], forClient), 1)
  t.match(forClient.out(), 'reason:   REGION_NOT_ALLOWED')
})

t.test('an unknown --client is a usage error', async (t) => {
  const { code, err } = await explain('--region', 'us-east-1', '--model', SONNET, '--client', 'nobody')
  t.equal(code, 2)
  t.match(err, 'no client named "nobody"')
})

const IN_BOUNDS_PROFILE = applicationProfile({
  id: 'a1b2c3d4e5f6', sourceRegion: 'us-east-1', destinationRegions: ['us-east-1', 'us-west-2'], modelId: SONNET
})
const PARIS_PROFILE = applicationProfile({
  id: 'f6e5d4c3b2a1', sourceRegion: 'us-east-1', destinationRegions: ['us-east-1', 'eu-west-3'], modelId: SONNET
})
/** AWS now routes `us.` Sonnet from us-east-1 to Ireland too; the shipped catalog does not know. */
const WIDENED_US_PROFILE = systemProfile({
  id: `us.${SONNET}`, sourceRegion: 'us-east-1', destinationRegions: ['eu-west-1', 'us-east-1', 'us-east-2', 'us-west-2']
})
const EU_HAIKU = systemProfile({
  id: 'eu.anthropic.claude-3-haiku-20240307-v1:0', sourceRegion: 'eu-west-2', destinationRegions: ['eu-west-2', 'eu-west-3']
})
const US_HAIKU = systemProfile({
  id: 'us.anthropic.claude-3-haiku-20240307-v1:0', sourceRegion: 'us-east-1', destinationRegions: ['us-east-1', 'us-west-2']
})
const ROUTER_WITH_EU_FALLBACK = promptRouter({
  name: 'anthropic.claude:1',
  sourceRegion: 'us-east-1',
  type: 'default',
  models: [US_HAIKU.profile.inferenceProfileArn],
  fallbackModel: EU_HAIKU.profile.inferenceProfileArn
})

async function withControlPlane (t: Test, routing = ''): Promise<{ cp: FakeControlPlane, path: string }> {
  const cp = await startFakeControlPlane({
    inferenceProfiles: [IN_BOUNDS_PROFILE, PARIS_PROFILE, WIDENED_US_PROFILE, EU_HAIKU, US_HAIKU],
    promptRouters: [ROUTER_WITH_EU_FALLBACK]
  })
  t.teardown(() => cp.close())
  useFakeGatewayCredentials(t)
  const path = writeConfig(t, `
allow: { regions: [us-east-1, us-east-2, us-west-1, us-west-2, eu-west-2], inferenceProfilePrefixes: [us] }
upstream: { controlPlaneEndpoint: "${cp.url}" }
${routing}`)
  return { cp, path }
}

async function explainWith (path: string, ...args: string[]): Promise<{ code: number, out: string, err: string }> {
  const io = capturedIo()
  const code = await main(['explain', '--config', path, '--region', 'us-east-1', ...args], io)
  return { code, out: io.out(), err: io.err() }
}

t.test('an application profile is resolved with AWS and its destinations shown', async (t) => {
  const { cp, path } = await withControlPlane(t)
  const arn = IN_BOUNDS_PROFILE.profile.inferenceProfileArn
  const { code, out } = await explainWith(path, '--model', arn)
  t.equal(code, 0)
  t.match(out, 'reason:   ALLOWED\n')
  t.match(out, `routes:   "${arn}" from us-east-1: us-east-1, us-west-2 (as AWS reports it)\n`)
  t.equal(cp.lookups('GetInferenceProfile', arn), 1)
  t.ok(cp.requests.every(({ signature, region }) => signature?.ok === true && region === 'us-east-1'))
})

t.test('an application profile that can run in Paris is denied, naming eu-west-3', async (t) => {
  const { path } = await withControlPlane(t)
  const { code, out } = await explainWith(path, '--model', PARIS_PROFILE.profile.inferenceProfileArn)
  t.equal(code, 1)
  t.match(out, /reason: +PROFILE_ROUTES_OUTSIDE_ALLOWLIST\nmessage: .*eu-west-3/)
})

t.test('--offline asks AWS nothing and leaves an application profile unverified', async (t) => {
  const { cp, path } = await withControlPlane(t)
  const arn = IN_BOUNDS_PROFILE.profile.inferenceProfileArn
  const { code, out } = await explainWith(path, '--model', arn, '--offline')
  t.equal(code, 1)
  t.match(out, 'reason:   ROUTING_UNVERIFIED')
  t.match(out, `routes:   "${arn}" from us-east-1: not resolved (--offline)\n`)
  t.equal(cp.requests.length, 0)
})

t.test('in live mode a system profile is checked with AWS; --offline decides by the catalog alone', async (t) => {
  const { cp, path } = await withControlPlane(t, 'routing: { verify: live }\n')
  const live = await explainWith(path, '--model', `us.${SONNET}`)
  t.equal(live.code, 1)
  t.match(live.out, /reason: +PROFILE_ROUTES_OUTSIDE_ALLOWLIST\nmessage: .*eu-west-1/)
  t.match(live.out, `routes:   "us.${SONNET}" from us-east-1: eu-west-1, us-east-1, us-east-2, us-west-2 (as AWS reports it)\n`)
  const offline = await explainWith(path, '--model', `us.${SONNET}`, '--offline')
  t.equal(offline.code, 0)
  t.match(offline.out, `routes:   "us.${SONNET}" from us-east-1: us-east-1, us-east-2, us-west-2, us-west-1 (routing catalog 2025-12)\n`)
  t.equal(cp.lookups('GetInferenceProfile'), 1)
})

t.test('in catalog mode a system profile is not asked about', async (t) => {
  const { cp, path } = await withControlPlane(t)
  const { code } = await explainWith(path, '--model', `us.${SONNET}`)
  t.equal(code, 0)
  t.equal(cp.requests.length, 0)
})

t.test('a prompt router whose fallback is an eu profile is denied, and the route names the fallback', async (t) => {
  const { path } = await withControlPlane(t)
  const { code, out } = await explainWith(path, '--model', ROUTER_WITH_EU_FALLBACK.router.promptRouterArn, '--operation', 'Converse')
  t.equal(code, 1)
  t.match(out, /reason: +PROFILE_ROUTES_OUTSIDE_ALLOWLIST\nmessage: .*eu-west-3 \(via fallbackModel/)
  t.match(out, /routes: +".*default-prompt-router\/anthropic\.claude:1" from us-east-1: eu-west-2, eu-west-3, us-east-1, us-west-2 \(as AWS reports it\)/)
})

t.test('a control plane that fails makes the decision ROUTING_UNVERIFIED, saying what failed', async (t) => {
  const { cp, path } = await withControlPlane(t)
  cp.setFault({ kind: 'error', errorType: 'ThrottlingException' })
  const { code, out } = await explainWith(path, '--model', IN_BOUNDS_PROFILE.profile.inferenceProfileArn)
  t.equal(code, 1)
  t.match(out, /reason: +ROUTING_UNVERIFIED\n/)
  t.match(out, /routes: +".*" from us-east-1: unverified \(GetInferenceProfile .* in us-east-1 .*ThrottlingException.*\)\n/)
})

t.test('--json carries the resolved routes', async (t) => {
  const { path } = await withControlPlane(t)
  const arn = IN_BOUNDS_PROFILE.profile.inferenceProfileArn
  const { out } = await explainWith(path, '--model', arn, '--json')
  t.match(JSON.parse(out), {
    allowed: true,
    routes: [{
      identifier: arn,
      region: 'us-east-1',
      source: 'aws',
      regions: ['us-east-1', 'us-west-2'],
      routes: [{ region: 'us-east-1', via: 'models[0]' }, { region: 'us-west-2', via: 'models[1]' }]
    }]
  })
})
