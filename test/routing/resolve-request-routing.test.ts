import t from 'tap'
import { parseModelId } from '../../src/bedrock/model-id.ts'
import { createRoutingResolver } from '../../src/routing/routing-resolver.ts'
import { requestRouting } from '../../src/routing/resolve-request-routing.ts'
import type { RequestFacts } from '../../src/policy/types.ts'
import { seedWith } from '../support/seed-allowlist.ts'
import { US_APP, US_SYSTEM, clientFor, startRoutingControlPlane } from '../support/routing-fixtures.ts'

const APP_ARN = US_APP.profile.inferenceProfileArn
const US_PROFILE = US_SYSTEM.profile.inferenceProfileId
const FOUNDATION_MODEL = 'anthropic.claude-3-7-sonnet-20250219-v1:0'
/** The config defaults for routed resources: application profiles and prompt routers resolved. */
const RESOLVING = seedWith({ applicationInferenceProfiles: { resolve: true }, promptRouters: { resolve: true } })

/** A Converse call naming `modelId` in its path. */
function factsFor (modelId: string, region = 'us-east-1'): Omit<RequestFacts, 'routing'> {
  const parsed = parseModelId(modelId)
  if (!parsed.ok) throw new Error(parsed.message)
  return { operation: 'Converse', region, identifiers: [{ location: 'path.modelId', id: parsed.id }] }
}

t.test('a request that needs nothing resolved has its routing at once, and the control plane is never asked', async (t) => {
  const cp = await startRoutingControlPlane(t)
  const resolver = createRoutingResolver({ client: clientFor(t, cp), ttlMs: 60_000, negativeTtlMs: 1_000 })
  for (const [facts, verify] of [[factsFor(FOUNDATION_MODEL), 'live'], [factsFor(US_PROFILE), 'catalog'], [factsFor(APP_ARN, 'eu-west-3'), 'catalog']] as const) {
    const atOnce = requestRouting(resolver, facts, RESOLVING, verify)
    t.notOk(atOnce instanceof Promise, 'not a promise')
    t.same(atOnce, { verify, resolutions: new Map() })
  }
  t.equal(cp.lookups('GetInferenceProfile'), 0)
})

t.test('a request naming a profile that must be resolved gets its routing as a promise, once AWS has answered', async (t) => {
  const cp = await startRoutingControlPlane(t)
  const resolver = createRoutingResolver({ client: clientFor(t, cp), ttlMs: 60_000, negativeTtlMs: 1_000 })
  for (const [modelId, verify] of [[APP_ARN, 'catalog'], [US_PROFILE, 'live']] as const) {
    const facts = factsFor(modelId)
    const pending = requestRouting(resolver, facts, RESOLVING, verify)
    t.ok(pending instanceof Promise, `${modelId}: a promise`)
    const routing = await pending
    const resolution = routing.resolutions.get(modelId)
    t.ok(resolution?.verified === true && resolution.regions.length > 0, `${modelId}: AWS's answer is handed over`)
  }
  t.equal(cp.lookups('GetInferenceProfile'), 2)
})
