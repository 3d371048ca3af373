import t, { type Test } from 'tap'
import { Registry } from 'prom-client'
import { loadConfig } from '../../src/config/load-config.ts'
import type { GeofenceConfig } from '../../src/config/types.ts'
import { createRoutingService } from '../../src/server/routing-service.ts'
import { createCredentialSource } from '../../src/upstream/credentials.ts'
import { FAKE_UPSTREAM_CREDENTIALS } from '../support/fake-bedrock/index.ts'
import { writeConfig } from '../support/config-file.ts'
import { US_APP, startRoutingControlPlane } from '../support/routing-fixtures.ts'

const ARN = US_APP.profile.inferenceProfileArn

async function configWith (t: Test, controlPlaneUrl: string, routing: string): Promise<GeofenceConfig> {
  return loadConfig(writeConfig(t, `
allow:
  regions: [us-east-1, us-west-2]
  inferenceProfilePrefixes: [us]
upstream: { controlPlaneEndpoint: "${controlPlaneUrl}" }
routing: ${routing}
`), {})
}

t.test('a reload that only changes the verify mode keeps the cache; one that changes the cache settings starts afresh', async (t) => {
  const cp = await startRoutingControlPlane(t)
  const config = await configWith(t, cp.url, '{ verify: catalog }')
  const credentials = createCredentialSource(config.aws, async () => FAKE_UPSTREAM_CREDENTIALS)
  const service = createRoutingService(config, credentials, new Registry())
  t.teardown(() => service.close())

  t.equal((await service.resolver().resolve('us-east-1', ARN)).verified, true)
  service.apply(await configWith(t, cp.url, '{ verify: live }'))
  await service.resolver().resolve('us-east-1', ARN)
  t.equal(cp.lookups('GetInferenceProfile', ARN), 1)

  service.apply(await configWith(t, cp.url, '{ verify: live, cacheTtlSeconds: 60 }'))
  await service.resolver().resolve('us-east-1', ARN)
  t.equal(cp.lookups('GetInferenceProfile', ARN), 2)
})

t.test('a reload that moves the control plane sends the next lookup to the new one', async (t) => {
  const before = await startRoutingControlPlane(t)
  const after = await startRoutingControlPlane(t)
  const config = await configWith(t, before.url, '{}')
  const service = createRoutingService(config, createCredentialSource(config.aws, async () => FAKE_UPSTREAM_CREDENTIALS), new Registry())
  t.teardown(() => service.close())
  await service.resolver().resolve('us-east-1', ARN)
  service.apply(await configWith(t, after.url, '{}'))
  await service.resolver().resolve('us-east-1', ARN)
  t.equal(before.lookups(), 1)
  t.equal(after.lookups(), 1)
})
