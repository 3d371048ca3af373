import t from 'tap'
import { SHIPPED_CATALOG, parseCatalog } from '../../src/config/routing-catalog.ts'
import type { ClientConfig } from '../../src/config/types.ts'
import { buildGatewayState } from '../../src/server/gateway-state.ts'
import { shippedConfig } from '../support/shipped-config.ts'

t.test('the gateway decides with the shipped catalog when the config names none', async (t) => {
  const state = buildGatewayState(await shippedConfig())
  t.equal(state.catalog, SHIPPED_CATALOG)
})

t.test('the gateway decides with routing.catalogFile when the config names one', async (t) => {
  const config = await shippedConfig()
  const catalog = parseCatalog({ date: '2026-11', source: 'audit-profiles test', prefixes: { us: { sources: { 'us-east-1': ['us-east-1'] } } } })
  const state = buildGatewayState({ ...config, routing: { ...config.routing, catalog } })
  t.same(state.catalog.prefixes, catalog.prefixes)
  t.equal(state.catalog.source, 'audit-profiles test')
})

t.test('the state lists the configured client names, which bound the metrics\' client label', async (t) => {
  const config = await shippedConfig()
  const clients: ClientConfig[] = [
    { kind: 'sigv4', name: 'litellm', accessKeyId: 'GEOFENCELITELLM01', secretAccessKey: 'not-a-real-secret', allow: config.allow },
    { kind: 'bearer', name: 'batch-tool', apiKeySha256: 'a'.repeat(64), allow: config.allow }
  ]
  const state = buildGatewayState({ ...config, clients })
  t.same([...state.clientNames], ['litellm', 'batch-tool'])
})
