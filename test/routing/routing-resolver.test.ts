import t, { type Test } from 'tap'
import { createRoutingResolver } from '../../src/routing/routing-resolver.ts'
import type { LookupResult, RoutingObserver, RoutingResolver, RoutingResolverOptions } from '../../src/routing/types.ts'
import type { FakeControlPlane } from '../support/fake-bedrock/index.ts'
import { PARIS_APP, US_APP, US_SYSTEM, clientFor, startRoutingControlPlane } from '../support/routing-fixtures.ts'

const TTL_MS = 600_000
const NEGATIVE_TTL_MS = 30_000
const APP_ARN = US_APP.profile.inferenceProfileArn

interface Observed { hits: number; lookups: Array<{ result: LookupResult; seconds: number }> }

function observer (): RoutingObserver & Observed {
  const observed: Observed = { hits: 0, lookups: [] }
  return Object.assign(observed, {
    cacheHit () { observed.hits++ },
    lookup (result: LookupResult, seconds: number) { observed.lookups.push({ result, seconds }) }
  })
}

/** A resolver over the fake with a clock the test moves by hand. */
function resolverFor (t: Test, cp: FakeControlPlane, options: Partial<RoutingResolverOptions> = {}) {
  const clock = { now: 1_000_000 }
  const seen = observer()
  const resolver: RoutingResolver = createRoutingResolver({
    client: clientFor(t, cp), ttlMs: TTL_MS, negativeTtlMs: NEGATIVE_TTL_MS, now: () => clock.now, observer: seen, ...options
  })
  return { resolver, clock, seen }
}

t.test('50 concurrent first requests for one profile make exactly one lookup', async (t) => {
  const cp = await startRoutingControlPlane(t)
  const { resolver, seen } = resolverFor(t, cp)
  const answers = await Promise.all(Array.from({ length: 50 }, () => resolver.resolve('us-east-1', APP_ARN)))
  t.equal(cp.lookups('GetInferenceProfile', APP_ARN), 1)
  t.ok(answers.every((answer) => answer.verified && answer.regions.join() === 'us-east-1,us-west-2'))
  t.strictSame(seen.lookups.map(({ result }) => result), ['resolved'])
  t.equal(seen.hits, 49)
})

t.test('a cached answer is used until the TTL runs out, then asked for again', async (t) => {
  const cp = await startRoutingControlPlane(t)
  const { resolver, clock } = resolverFor(t, cp)
  await resolver.resolve('us-east-1', APP_ARN)
  clock.now += TTL_MS - 1
  await resolver.resolve('us-east-1', APP_ARN)
  t.equal(cp.lookups('GetInferenceProfile', APP_ARN), 1)
  clock.now += 1
  await resolver.resolve('us-east-1', APP_ARN)
  t.equal(cp.lookups('GetInferenceProfile', APP_ARN), 2)
})

t.test('each region is its own cache entry', async (t) => {
  const cp = await startRoutingControlPlane(t)
  const { resolver } = resolverFor(t, cp)
  const here = await resolver.resolve('us-east-1', US_SYSTEM.profile.inferenceProfileId)
  const there = await resolver.resolve('us-west-2', US_SYSTEM.profile.inferenceProfileId)
  t.equal(here.verified, true)
  t.equal(there.verified, false, 'the fixture exists in us-east-1 only')
  t.equal(cp.lookups('GetInferenceProfile'), 2)
})

t.test('a failure is remembered for the negative TTL only, and recovery is seen after it', async (t) => {
  const cp = await startRoutingControlPlane(t)
  cp.setFault({ kind: 'error', errorType: 'ThrottlingException' })
  const { resolver, clock, seen } = resolverFor(t, cp)
  const failed = await resolver.resolve('us-east-1', APP_ARN)
  t.equal(failed.verified, false)
  t.match(!failed.verified && failed.problem, /GetInferenceProfile .* in us-east-1 failed \(HTTP 429 ThrottlingException\)/)
  cp.setFault(undefined)
  t.equal((await resolver.resolve('us-east-1', APP_ARN)).verified, false, 'still the remembered failure')
  t.equal(cp.lookups('GetInferenceProfile', APP_ARN), 1)
  clock.now += NEGATIVE_TTL_MS
  t.equal((await resolver.resolve('us-east-1', APP_ARN)).verified, true)
  t.strictSame(seen.lookups.map(({ result }) => result), ['throttled', 'resolved'])
})

t.test('with a negative TTL of 0 a failure is never remembered', async (t) => {
  const cp = await startRoutingControlPlane(t)
  cp.setFault({ kind: 'error', errorType: 'InternalServerException' })
  const { resolver } = resolverFor(t, cp, { negativeTtlMs: 0 })
  await resolver.resolve('us-east-1', APP_ARN)
  await resolver.resolve('us-east-1', APP_ARN)
  t.equal(cp.lookups('GetInferenceProfile', APP_ARN), 2)
  t.equal(resolver.size(), 0)
})

t.test('the cache is bounded: past its size the least recently used entry goes', async (t) => {
  const cp = await startRoutingControlPlane(t)
  const { resolver } = resolverFor(t, cp, { maxEntries: 2 })
  await resolver.resolve('us-east-1', APP_ARN)
  await resolver.resolve('us-east-1', PARIS_APP.profile.inferenceProfileArn)
  await resolver.resolve('us-east-1', APP_ARN) // now the most recently used
  await resolver.resolve('us-east-1', US_SYSTEM.profile.inferenceProfileId)
  t.equal(resolver.size(), 2)
  await resolver.resolve('us-east-1', APP_ARN)
  t.equal(cp.lookups('GetInferenceProfile', APP_ARN), 1, 'kept')
  await resolver.resolve('us-east-1', PARIS_APP.profile.inferenceProfileArn)
  t.equal(cp.lookups('GetInferenceProfile', PARIS_APP.profile.inferenceProfileArn), 2, 'evicted, so asked again')
})

t.test('lookups report their result and the time they took', async (t) => {
  const cp = await startRoutingControlPlane(t)
  const { resolver, seen } = resolverFor(t, cp)
  await resolver.resolve('us-east-1', 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/000000000000')
  t.equal(seen.lookups[0]?.result, 'not-found')
  t.ok((seen.lookups[0]?.seconds ?? -1) >= 0)
})
