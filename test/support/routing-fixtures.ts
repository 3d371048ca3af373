import type { Test } from 'tap'
import { createControlPlaneClient } from '../../src/routing/control-plane-client.ts'
import { ControlPlaneError } from '../../src/routing/control-plane-failure.ts'
import type { ControlPlaneClient } from '../../src/routing/types.ts'
import {
  FAKE_UPSTREAM_CREDENTIALS,
  applicationProfile,
  promptRouter,
  startFakeControlPlane,
  systemProfile,
  type FakeControlPlane,
  type FakeControlPlaneOptions
} from './fake-bedrock/index.ts'

/** The model every routing fixture runs. */
export const ROUTED_MODEL = 'anthropic.claude-3-7-sonnet-20250219-v1:0'

/** An application profile in us-east-1 whose models stay in allowed regions. */
export const US_APP = applicationProfile({ id: 'a1b2c3d4e5f6', sourceRegion: 'us-east-1', destinationRegions: ['us-east-1', 'us-west-2'], modelId: ROUTED_MODEL })
/** An application profile in us-east-1 with one model in Paris. */
export const PARIS_APP = applicationProfile({ id: 'f6e5d4c3b2a1', sourceRegion: 'us-east-1', destinationRegions: ['us-east-1', 'eu-west-3'], modelId: ROUTED_MODEL })
export const US_SYSTEM = systemProfile({ id: `us.${ROUTED_MODEL}`, sourceRegion: 'us-east-1', destinationRegions: ['us-east-1', 'us-east-2', 'us-west-2'] })
/** An `eu.` profile as a router in us-east-1 would name it. */
export const EU_SYSTEM = systemProfile({ id: `eu.${ROUTED_MODEL}`, sourceRegion: 'us-east-1', destinationRegions: ['eu-west-1', 'eu-central-1'] })
/** A custom router in us-east-1: us. profile models, eu. profile fallback. */
export const EU_FALLBACK_ROUTER = promptRouter({
  name: 'eu-fallback',
  id: 'r0uter0eu0fb',
  sourceRegion: 'us-east-1',
  type: 'custom',
  models: [US_SYSTEM.profile.inferenceProfileArn],
  fallbackModel: EU_SYSTEM.profile.inferenceProfileArn
})
/** A default router in us-east-1 whose models and fallback all stay in the us. profile's regions. */
export const US_ROUTER = promptRouter({
  name: 'anthropic.claude:1',
  sourceRegion: 'us-east-1',
  type: 'default',
  models: [US_SYSTEM.profile.inferenceProfileArn],
  fallbackModel: US_APP.profile.inferenceProfileArn
})

export const ROUTING_FIXTURES: FakeControlPlaneOptions = {
  inferenceProfiles: [US_APP, PARIS_APP, US_SYSTEM, EU_SYSTEM],
  promptRouters: [EU_FALLBACK_ROUTER, US_ROUTER]
}

/** Lookups that must succeed get all the time a loaded test machine may need. */
export const GENEROUS_LOOKUP_TIMEOUT_MS = 10_000
/** For tests of a control plane that never answers: the time they wait before the refusal. */
export const SHORT_LOOKUP_TIMEOUT_MS = 300

/** A fake control plane with the routing fixtures (or others), closed when the test ends. */
export async function startRoutingControlPlane (t: Test, options: FakeControlPlaneOptions = ROUTING_FIXTURES): Promise<FakeControlPlane> {
  const cp = await startFakeControlPlane(options)
  t.teardown(() => cp.close())
  return cp
}

/** The real control-plane client pointed at a fake, with the fake's accepted credentials. */
export function clientFor (t: Test, cp: FakeControlPlane, timeoutMs = GENEROUS_LOOKUP_TIMEOUT_MS): ControlPlaneClient {
  const client = createControlPlaneClient({ endpointTemplate: cp.url, credentials: async () => FAKE_UPSTREAM_CREDENTIALS, timeoutMs })
  t.teardown(() => client.close())
  return client
}

/** The ControlPlaneError a call or resolution rejects with; fails the test if it resolves or rejects otherwise. */
export async function controlPlaneFailureOf (promise: Promise<unknown>): Promise<ControlPlaneError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof ControlPlaneError) return error
    throw error
  }
  throw new Error('resolved, expected a ControlPlaneError')
}
