import t from 'tap'
import { MAX_RESOLUTION_DEPTH, resolveDestinations } from '../../src/routing/resolve-destinations.ts'
import { ANY_REGION } from '../../src/policy/types.ts'
import { FAKE_ACCOUNT_ID, foundationModelArn, promptRouter, systemProfile } from '../support/fake-bedrock/index.ts'
import {
  EU_FALLBACK_ROUTER,
  PARIS_APP,
  ROUTED_MODEL,
  US_APP,
  US_ROUTER,
  US_SYSTEM,
  clientFor,
  controlPlaneFailureOf,
  startRoutingControlPlane
} from '../support/routing-fixtures.ts'

const routerArn = (id: string): string => `arn:aws:bedrock:us-east-1:${FAKE_ACCOUNT_ID}:prompt-router/${id}`

t.test('an application profile runs in the regions of its models', async (t) => {
  const cp = await startRoutingControlPlane(t)
  const routing = await resolveDestinations(clientFor(t, cp), 'us-east-1', PARIS_APP.profile.inferenceProfileArn)
  t.strictSame(routing, {
    verified: true,
    regions: ['eu-west-3', 'us-east-1'],
    destinations: [{ region: 'us-east-1', via: 'models[0]' }, { region: 'eu-west-3', via: 'models[1]' }]
  })
})

t.test('a system profile id is looked up in the requested region', async (t) => {
  const cp = await startRoutingControlPlane(t)
  const routing = await resolveDestinations(clientFor(t, cp), 'us-east-1', US_SYSTEM.profile.inferenceProfileId)
  t.strictSame(routing.regions, ['us-east-1', 'us-east-2', 'us-west-2'])
  t.equal(cp.lookups('GetInferenceProfile', US_SYSTEM.profile.inferenceProfileId), 1)
})

t.test('a prompt router reaches what its models and its fallback reach, profiles followed', async (t) => {
  const cp = await startRoutingControlPlane(t)
  const routing = await resolveDestinations(clientFor(t, cp), 'us-east-1', EU_FALLBACK_ROUTER.router.promptRouterArn)
  t.strictSame(routing.regions, ['eu-central-1', 'eu-west-1', 'us-east-1', 'us-east-2', 'us-west-2'])
  t.ok(routing.destinations.some(({ region, via }) => region === 'eu-west-1' &&
    via === `fallbackModel -> inference-profile/eu.${ROUTED_MODEL} -> models[0]`))
})

t.test('a default router whose fallback is an application profile', async (t) => {
  const cp = await startRoutingControlPlane(t)
  const routing = await resolveDestinations(clientFor(t, cp), 'us-east-1', US_ROUTER.router.promptRouterArn)
  t.strictSame(routing.regions, ['us-east-1', 'us-east-2', 'us-west-2'])
  t.equal(cp.lookups('GetInferenceProfile', US_APP.profile.inferenceProfileArn), 1)
})

t.test('a region-less foundation model means any region', async (t) => {
  const global = systemProfile({ id: `global.${ROUTED_MODEL}`, sourceRegion: 'us-east-1', destinationRegions: ['us-east-1', ''] })
  const cp = await startRoutingControlPlane(t, { inferenceProfiles: [global] })
  t.strictSame((await resolveDestinations(clientFor(t, cp), 'us-east-1', global.profile.inferenceProfileId)).regions, [ANY_REGION, 'us-east-1'].sort())
})

t.test('a router that names itself is refused as a loop', async (t) => {
  const loop = promptRouter({ name: 'loop', id: 'l00p0r0uter0', sourceRegion: 'us-east-1', type: 'custom', models: [routerArn('l00p0r0uter0')], fallbackModel: foundationModelArn('us-east-1', ROUTED_MODEL) })
  const cp = await startRoutingControlPlane(t, { promptRouters: [loop] })
  const error = await controlPlaneFailureOf(resolveDestinations(clientFor(t, cp), 'us-east-1', loop.router.promptRouterArn))
  t.equal(error.kind, 'too-deep')
  t.match(error.message, /lead back to/)
})

t.test(`chains deeper than ${MAX_RESOLUTION_DEPTH} lookups are refused`, async (t) => {
  const ids = ['ch0a0r0uter0', 'ch0b0r0uter0', 'ch0c0r0uter0', 'ch0d0r0uter0']
  const routers = ids.map((id, i) => promptRouter({
    name: id,
    id,
    sourceRegion: 'us-east-1',
    type: 'custom',
    models: [i + 1 < ids.length ? routerArn(ids[i + 1]!) : foundationModelArn('us-east-1', ROUTED_MODEL)],
    fallbackModel: foundationModelArn('us-east-1', ROUTED_MODEL)
  }))
  const cp = await startRoutingControlPlane(t, { promptRouters: routers })
  const client = clientFor(t, cp)
  t.equal((await controlPlaneFailureOf(resolveDestinations(client, 'us-east-1', routerArn(ids[0]!)))).kind, 'too-deep')
  t.strictSame((await resolveDestinations(client, 'us-east-1', routerArn(ids[1]!))).regions, ['us-east-1'], 'three deep is fine')
})

t.test('a model the gateway cannot place is a malformed answer', async (t) => {
  const odd = promptRouter({ name: 'odd', id: 'odd0r0uter00', sourceRegion: 'us-east-1', type: 'custom', models: ['not-an-arn'], fallbackModel: foundationModelArn('us-east-1', ROUTED_MODEL) })
  const cp = await startRoutingControlPlane(t, { promptRouters: [odd] })
  const error = await controlPlaneFailureOf(resolveDestinations(clientFor(t, cp), 'us-east-1', odd.router.promptRouterArn))
  t.equal(error.kind, 'malformed-answer')
  t.match(error.message, /GetPromptRouter named a model the gateway cannot place at models\[0\]/)
})

t.test('a failed nested lookup fails the whole resolution', async (t) => {
  const cp = await startRoutingControlPlane(t, { promptRouters: [EU_FALLBACK_ROUTER] })
  const error = await controlPlaneFailureOf(resolveDestinations(clientFor(t, cp), 'us-east-1', EU_FALLBACK_ROUTER.router.promptRouterArn))
  t.equal(error.kind, 'not-found')
})
