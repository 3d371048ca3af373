import { createServer as createHttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import { BedrockError } from '../../src/core/errors.ts'
import { createControlPlaneClient } from '../../src/routing/control-plane-client.ts'
import type { ControlPlaneClient, ControlPlaneClientOptions } from '../../src/routing/types.ts'
import {
  FAKE_UPSTREAM_CREDENTIALS,
  applicationProfile,
  promptRouter,
  startFakeControlPlane,
  systemProfile,
  type FakeControlPlane,
  type FakeControlPlaneOptions
} from '../support/fake-bedrock/index.ts'
import { freeLoopbackPort } from '../support/free-loopback-port.ts'
import { GENEROUS_LOOKUP_TIMEOUT_MS, SHORT_LOOKUP_TIMEOUT_MS, controlPlaneFailureOf } from '../support/routing-fixtures.ts'

const MODEL = 'anthropic.claude-3-7-sonnet-20250219-v1:0'
const APP = applicationProfile({ id: 'abcdef012345', sourceRegion: 'us-east-1', destinationRegions: ['us-east-1', 'us-west-2'], modelId: MODEL })
const US = systemProfile({ id: `us.${MODEL}`, sourceRegion: 'us-east-1', destinationRegions: ['us-east-1', 'us-east-2', 'us-west-2'] })
const ROUTER = promptRouter({
  name: 'anthropic.claude:1', sourceRegion: 'us-east-1', type: 'default', models: [US.profile.inferenceProfileArn], fallbackModel: APP.profile.inferenceProfileArn
})

async function fakeAndClient (t: Test, fakeOptions: FakeControlPlaneOptions = {}, clientOptions: Partial<ControlPlaneClientOptions> = {}):
Promise<{ cp: FakeControlPlane, client: ControlPlaneClient }> {
  const cp = await startFakeControlPlane({ inferenceProfiles: [APP, US], promptRouters: [ROUTER], ...fakeOptions })
  t.teardown(() => cp.close())
  const client = createControlPlaneClient({
    endpointTemplate: cp.url, credentials: async () => FAKE_UPSTREAM_CREDENTIALS, timeoutMs: GENEROUS_LOOKUP_TIMEOUT_MS, ...clientOptions
  })
  t.teardown(() => client.close())
  return { cp, client }
}

t.test('GetInferenceProfile by ARN: signed for the region, the ARN sent as one encoded segment', async (t) => {
  const { cp, client } = await fakeAndClient(t)
  const profile = await client.getInferenceProfile('us-east-1', APP.profile.inferenceProfileArn)
  t.strictSame(profile, {
    inferenceProfileId: 'abcdef012345',
    inferenceProfileArn: APP.profile.inferenceProfileArn,
    inferenceProfileName: APP.profile.inferenceProfileName,
    type: 'APPLICATION',
    status: 'ACTIVE',
    modelArns: [`arn:aws:bedrock:us-east-1::foundation-model/${MODEL}`, `arn:aws:bedrock:us-west-2::foundation-model/${MODEL}`]
  })
  const [request] = cp.requests
  t.equal(request?.path, `/inference-profiles/${encodeURIComponent(APP.profile.inferenceProfileArn)}`)
  t.equal(request?.signature?.ok, true)
  t.equal(request?.region, 'us-east-1')
})

t.test('GetInferenceProfile by system profile id', async (t) => {
  const { client } = await fakeAndClient(t)
  const profile = await client.getInferenceProfile('us-east-1', US.profile.inferenceProfileId)
  t.equal(profile.type, 'SYSTEM_DEFINED')
  t.equal(profile.modelArns.length, 3)
})

t.test('GetPromptRouter returns its models and fallback, which may be profile ARNs', async (t) => {
  const { client } = await fakeAndClient(t)
  const router = await client.getPromptRouter('us-east-1', ROUTER.router.promptRouterArn)
  t.strictSame(router, {
    promptRouterArn: ROUTER.router.promptRouterArn,
    promptRouterName: 'anthropic.claude:1',
    modelArns: [US.profile.inferenceProfileArn],
    fallbackModelArn: APP.profile.inferenceProfileArn
  })
})

t.test('ListInferenceProfiles follows every page for one type', async (t) => {
  const many = Array.from({ length: 5 }, (_, i) => applicationProfile({
    id: `abcdef01234${i}`, sourceRegion: 'us-east-1', destinationRegions: ['us-east-1'], modelId: MODEL
  }))
  const { cp, client } = await fakeAndClient(t, { inferenceProfiles: [...many, US], defaultPageSize: 2 })
  const profiles = await client.listInferenceProfiles('us-east-1', 'APPLICATION')
  t.strictSame(profiles.map((profile) => profile.inferenceProfileId), many.map(({ profile }) => profile.inferenceProfileId))
  t.equal(cp.lookups('ListInferenceProfiles'), 3)
  t.ok(cp.requests.every((request) => request.signature?.ok === true && request.path.includes('type=APPLICATION')))
})

t.test('a profile the control plane does not know is not-found, naming the call', async (t) => {
  const { client } = await fakeAndClient(t)
  const error = await controlPlaneFailureOf(client.getInferenceProfile('us-west-2', APP.profile.inferenceProfileArn))
  t.equal(error.kind, 'not-found')
  t.equal(error.message, `GetInferenceProfile "${APP.profile.inferenceProfileArn}" in us-west-2 failed (HTTP 404 ResourceNotFoundException)`)
})

t.test('AccessDenied for the gateway\'s role says which permission is missing, and nothing AWS said', async (t) => {
  const { client } = await fakeAndClient(t, { fault: { kind: 'error', errorType: 'AccessDeniedException', message: 'User: arn:aws:sts::111122223333:assumed-role/secret is not authorized' } })
  const error = await controlPlaneFailureOf(client.getPromptRouter('us-east-1', ROUTER.router.promptRouterArn))
  t.equal(error.kind, 'access-denied')
  t.match(error.message, /was refused \(HTTP 403 AccessDeniedException\): the gateway's role needs bedrock:GetPromptRouter$/)
  t.notMatch(error.message, /assumed-role|127\.0\.0\.1|http:/)
})

t.test('throttling is its own failure', async (t) => {
  const { client } = await fakeAndClient(t, { fault: { kind: 'error', errorType: 'ThrottlingException' } })
  t.equal((await controlPlaneFailureOf(client.getInferenceProfile('us-east-1', US.profile.inferenceProfileId))).kind, 'throttled')
})

t.test('a server error is a service error', async (t) => {
  const { client } = await fakeAndClient(t, { fault: { kind: 'error', errorType: 'InternalServerException' } })
  t.equal((await controlPlaneFailureOf(client.getInferenceProfile('us-east-1', US.profile.inferenceProfileId))).kind, 'service-error')
})

t.test('a control plane that does not answer times out after the lookup timeout', async (t) => {
  const { client } = await fakeAndClient(t, { fault: { kind: 'hang' } }, { timeoutMs: SHORT_LOOKUP_TIMEOUT_MS })
  const error = await controlPlaneFailureOf(client.getInferenceProfile('us-east-1', US.profile.inferenceProfileId))
  t.equal(error.kind, 'timeout')
  t.equal(error.message, `GetInferenceProfile "${US.profile.inferenceProfileId}" in us-east-1 timed out after ${SHORT_LOOKUP_TIMEOUT_MS} ms`)
})

t.test('a control plane that cuts the answer off is unreachable, without its address', async (t) => {
  const { client } = await fakeAndClient(t, { fault: { kind: 'reset' } })
  const error = await controlPlaneFailureOf(client.getInferenceProfile('us-east-1', US.profile.inferenceProfileId))
  t.equal(error.kind, 'unreachable')
  t.notMatch(error.message, /127\.0\.0\.1/)
})

t.test('nothing listening is unreachable', async (t) => {
  const client = createControlPlaneClient({ endpointTemplate: `http://127.0.0.1:${await freeLoopbackPort()}`, credentials: async () => FAKE_UPSTREAM_CREDENTIALS, timeoutMs: GENEROUS_LOOKUP_TIMEOUT_MS })
  t.teardown(() => client.close())
  const error = await controlPlaneFailureOf(client.getInferenceProfile('us-east-1', US.profile.inferenceProfileId))
  t.equal(error.kind, 'unreachable')
  t.match(error.message, /could not reach the control plane \(ECONNREFUSED\)$/)
})

t.test('no credentials to sign with is its own failure, and nothing is sent', async (t) => {
  const { cp, client } = await fakeAndClient(t, {}, {
    credentials: async () => { throw new BedrockError('ServiceUnavailableException', 'no credentials') }
  })
  t.equal((await controlPlaneFailureOf(client.getInferenceProfile('us-east-1', US.profile.inferenceProfileId))).kind, 'no-credentials')
  t.equal(cp.requests.length, 0)
})

t.test('a credential chain that finds nothing is no-credentials, and the message says where credentials come from', async (t) => {
  const { cp, client } = await fakeAndClient(t, {}, {
    credentials: async () => { throw new Error('Could not load credentials from any providers') }
  })
  const error = await controlPlaneFailureOf(client.getInferenceProfile('us-east-1', US.profile.inferenceProfileId))
  t.equal(error.kind, 'no-credentials')
  t.match(error.message, /could not be signed: the gateway has no usable AWS credentials.*AWS_ACCESS_KEY_ID/)
  t.equal(cp.requests.length, 0)
})

t.test('credentials the control plane rejects are access-denied', async (t) => {
  const { client } = await fakeAndClient(t, {}, {
    credentials: async () => ({ accessKeyId: 'AKIDSOMEONEELSE00001', secretAccessKey: 'wrong' })
  })
  t.equal((await controlPlaneFailureOf(client.getInferenceProfile('us-east-1', US.profile.inferenceProfileId))).kind, 'access-denied')
})

t.test('an answer without the fields routing needs is malformed, naming the field', async (t) => {
  const server = createHttpServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' })
    response.end(JSON.stringify({ ...APP.profile, models: [] }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const client = createControlPlaneClient({
    endpointTemplate: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, credentials: async () => FAKE_UPSTREAM_CREDENTIALS, timeoutMs: GENEROUS_LOOKUP_TIMEOUT_MS
  })
  t.teardown(() => client.close())
  const error = await controlPlaneFailureOf(client.getInferenceProfile('us-east-1', APP.profile.inferenceProfileArn))
  t.equal(error.kind, 'malformed-answer')
  t.match(error.message, /gave an answer the gateway cannot use: answer\.models is empty$/)
})
