import t from 'tap'
import type { AllowList } from '../../src/config/types.ts'
import { understandRequest } from '../../src/bedrock/request.ts'
import { decide } from '../../src/policy/engine.ts'
import { identifiersToResolve } from '../../src/policy/identifiers-to-resolve.ts'
import { ANY_REGION, type RequestFacts, type RequestRouting, type RoutingResolution } from '../../src/policy/types.ts'
import type { Decision } from '../../src/core/decision.ts'
import { seedWith } from '../support/seed-allowlist.ts'

const ACCOUNT = '111122223333'
const APP = `arn:aws:bedrock:us-east-1:${ACCOUNT}:application-inference-profile/a1b2c3d4e5f6`
const ROUTER = `arn:aws:bedrock:us-east-1:${ACCOUNT}:prompt-router/r1b2c3d4e5f6`
const US_PROFILE = 'us.anthropic.claude-3-5-sonnet-20241022-v2:0'
const GLOBAL_PROFILE = 'global.anthropic.claude-3-5-sonnet-20241022-v2:0'
const PROMPT = `arn:aws:bedrock:us-east-1:${ACCOUNT}:prompt/PROMPT1234`

/** The config defaults for routed resources: both kinds resolved. */
const RESOLVING = seedWith({ applicationInferenceProfiles: { resolve: true }, promptRouters: { resolve: true } })

function factsFor (modelId: string, region = 'us-east-1'): Omit<RequestFacts, 'routing'> {
  const understanding = understandRequest({
    method: 'POST', target: `/model/${encodeURIComponent(modelId)}/converse`, headers: {}, body: new TextEncoder().encode('{}')
  })
  if (!understanding.ok) throw new Error(understanding.decision.message)
  return { operation: understanding.operation, region, identifiers: understanding.identifiers }
}

function verified (regions: readonly string[], via = 'models'): RoutingResolution {
  return { verified: true, regions: [...regions].sort(), destinations: regions.map((region, i) => ({ region, via: `${via}[${i}]` })) }
}

function decideWith (modelId: string, allow: AllowList, resolutions: Record<string, RoutingResolution> | undefined,
  verify: RequestRouting['verify'] = 'catalog', region = 'us-east-1'): Decision {
  const routing = resolutions === undefined ? undefined : { verify, resolutions: new Map(Object.entries(resolutions)) }
  return decide({ ...factsFor(modelId, region), ...(routing === undefined ? {} : { routing }) }, allow)
}

t.test('an application profile whose every destination is allowed is allowed', async (t) => {
  const decision = decideWith(APP, RESOLVING, { [APP]: verified(['us-east-1', 'us-west-2']) })
  t.equal(decision.reason, 'ALLOWED')
})

t.test('an application profile that can run in eu-west-3 is refused, naming eu-west-3', async (t) => {
  const decision = decideWith(APP, RESOLVING, { [APP]: verified(['us-east-1', 'eu-west-3']) })
  t.equal(decision.reason, 'PROFILE_ROUTES_OUTSIDE_ALLOWLIST')
  t.match(decision.message, /application profile can run in eu-west-3 \(via models\[1\]\), outside allow\.regions, as AWS reports it from us-east-1/)
  t.notMatch(decision.message, /us-east-1 \(via/)
})

t.test('the destinations are checked against the caller\'s narrowed regions', async (t) => {
  const eastOnly = seedWith({ ...RESOLVING, regions: ['us-east-1'] })
  const decision = decideWith(APP, eastOnly, { [APP]: verified(['us-east-1', 'us-west-2']) })
  t.equal(decision.reason, 'PROFILE_ROUTES_OUTSIDE_ALLOWLIST')
  t.match(decision.message, /can run in us-west-2/)
})

t.test('an application profile that needs resolution and has none is unverified', async (t) => {
  t.equal(decideWith(APP, RESOLVING, undefined).reason, 'ROUTING_UNVERIFIED')
  t.equal(decideWith(APP, RESOLVING, {}).reason, 'ROUTING_UNVERIFIED')
})

t.test('a failed lookup is unverified, and the message says what failed', async (t) => {
  const problem = 'GetInferenceProfile "x" in us-east-1 timed out after 2000 ms'
  const decision = decideWith(APP, RESOLVING, { [APP]: { verified: false, problem } })
  t.equal(decision.reason, 'ROUTING_UNVERIFIED')
  t.match(decision.message, problem)
})

t.test('a listed application profile is allowed without resolution; an unlisted one is not', async (t) => {
  const listed = seedWith({ applicationInferenceProfiles: { only: [APP], resolve: false } })
  t.equal(decideWith(APP, listed, undefined).reason, 'ALLOWED')
  const other = seedWith({ applicationInferenceProfiles: { only: [APP.replace('a1b2c3d4e5f6', 'ffffffffffff')], resolve: false } })
  const refused = decideWith(APP, other, { [APP]: verified(['us-east-1']) })
  t.equal(refused.reason, 'MODEL_KIND_NOT_ALLOWED')
  t.match(refused.message, /allow\.applicationInferenceProfiles does not allow this one/)
})

t.test('deny refuses even an application profile AWS says stays in allowed regions', async (t) => {
  const denied = seedWith({ applicationInferenceProfiles: { only: [], resolve: false } })
  t.equal(decideWith(APP, denied, { [APP]: verified(['us-east-1']) }).reason, 'MODEL_KIND_NOT_ALLOWED')
})

t.test('a listed ARN that must still be resolved (a client list under a global resolve) needs the answer', async (t) => {
  const listedAndResolved = seedWith({ applicationInferenceProfiles: { only: [APP], resolve: true } })
  t.equal(decideWith(APP, listedAndResolved, undefined).reason, 'ROUTING_UNVERIFIED')
  t.equal(decideWith(APP, listedAndResolved, { [APP]: verified(['us-east-1']) }).reason, 'ALLOWED')
})

t.test('a prompt router whose fallback reaches eu-west-1 is refused, naming the chain', async (t) => {
  const resolution: RoutingResolution = {
    verified: true,
    regions: ['eu-west-1', 'us-east-1'],
    destinations: [
      { region: 'us-east-1', via: 'models[0]' },
      { region: 'eu-west-1', via: 'fallbackModel -> inference-profile/eu.anthropic.x -> models[0]' }
    ]
  }
  const decision = decideWith(ROUTER, RESOLVING, { [ROUTER]: resolution })
  t.equal(decision.reason, 'PROFILE_ROUTES_OUTSIDE_ALLOWLIST')
  t.match(decision.message, 'prompt router can run in eu-west-1 (via fallbackModel -> inference-profile/eu.anthropic.x -> models[0])')
})

t.test('an ARN in another region is refused for that before its resolution is looked at', async (t) => {
  const decision = decideWith(APP, RESOLVING, { [APP]: verified(['us-west-2']) }, 'catalog', 'us-west-2')
  t.equal(decision.reason, 'ARN_REGION_MISMATCH')
})

t.test('live mode: a system profile AWS reports reaching eu-west-1 is refused; catalog mode allows it', async (t) => {
  const reported = { [US_PROFILE]: verified(['us-east-1', 'eu-west-1']) }
  const live = decideWith(US_PROFILE, RESOLVING, reported, 'live')
  t.equal(live.reason, 'PROFILE_ROUTES_OUTSIDE_ALLOWLIST')
  t.match(live.message, /inference profile can run in eu-west-1/)
  t.equal(decideWith(US_PROFILE, RESOLVING, reported, 'catalog').reason, 'ALLOWED')
  t.equal(decideWith(US_PROFILE, RESOLVING, undefined).reason, 'ALLOWED')
})

t.test('live mode: a system profile without AWS\'s answer is unverified', async (t) => {
  t.equal(decideWith(US_PROFILE, RESOLVING, {}, 'live').reason, 'ROUTING_UNVERIFIED')
})

t.test('a listed global prefix is allowed by the prefix rule, and live mode still checks what AWS reports', async (t) => {
  const withGlobal = seedWith({ ...RESOLVING, inferenceProfilePrefixes: ['us', 'global'] })
  t.equal(decideWith(GLOBAL_PROFILE, withGlobal, undefined).reason, 'ALLOWED')
  const live = decideWith(GLOBAL_PROFILE, withGlobal, { [GLOBAL_PROFILE]: verified(['us-east-1', ANY_REGION]) }, 'live')
  t.equal(live.reason, 'PROFILE_ROUTES_OUTSIDE_ALLOWLIST')
  t.match(live.message, /can run in any region/)
  t.equal(decideWith(GLOBAL_PROFILE, seedWith(RESOLVING), undefined).reason, 'GLOBAL_PROFILE_NOT_ALLOWED')
})

t.test('prompts still need allow.routedResources: nothing reports where they run', async (t) => {
  t.equal(decideWith(PROMPT, RESOLVING, undefined).reason, 'MODEL_KIND_NOT_ALLOWED')
  t.equal(decideWith(PROMPT, seedWith({ ...RESOLVING, routedResources: [PROMPT] }), undefined).reason, 'ALLOWED')
})

t.test('only identifiers the engine will consult are resolved', async (t) => {
  t.strictSame(identifiersToResolve(factsFor(APP), RESOLVING, 'catalog'), [APP])
  t.strictSame(identifiersToResolve(factsFor(APP), seedWith({ applicationInferenceProfiles: { only: [APP], resolve: false } }), 'catalog'), [])
  t.strictSame(identifiersToResolve(factsFor(APP, 'us-west-2'), RESOLVING, 'catalog'), [], 'ARN in another region')
  t.strictSame(identifiersToResolve(factsFor(APP, 'eu-west-3'), RESOLVING, 'catalog'), [], 'region not allowed')
  t.strictSame(identifiersToResolve(factsFor(US_PROFILE), RESOLVING, 'catalog'), [])
  t.strictSame(identifiersToResolve(factsFor(US_PROFILE), RESOLVING, 'live'), [US_PROFILE])
  t.strictSame(identifiersToResolve(factsFor(`eu.${US_PROFILE.slice(3)}`), RESOLVING, 'live'), [], 'prefix not allowed')
  t.strictSame(identifiersToResolve(factsFor(PROMPT), RESOLVING, 'live'), [])
})
