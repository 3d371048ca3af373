import t from 'tap'
import { parseCatalog } from '../../src/config/routing-catalog.ts'
import { catalogFromAudit } from '../../src/policy/catalog-from-audit.ts'
import type { AuditedProfile } from '../../src/policy/profile-audit.ts'
import type { RoutingResolution } from '../../src/policy/types.ts'

const ORIGIN = { date: '2026-05-01', source: 'audit-profiles 111122223333/us-east-1,us-west-2 2026-05-01' }

function placed (regions: readonly string[]): RoutingResolution {
  return { verified: true, regions, destinations: regions.map((region, i) => ({ region, via: `models[${i}]` })) }
}

function profile (id: string, sourceRegion: string, routing: RoutingResolution, type: AuditedProfile['type'] = 'SYSTEM_DEFINED'): AuditedProfile {
  const prefix = type === 'SYSTEM_DEFINED' ? id.slice(0, id.indexOf('.')) : undefined
  return {
    sourceRegion,
    id,
    arn: `arn:aws:bedrock:${sourceRegion}:111122223333:${type === 'SYSTEM_DEFINED' ? 'inference-profile' : 'application-inference-profile'}/${id}`,
    type,
    ...(prefix === undefined ? {} : { prefix }),
    routing,
    decision: { allowed: true, reason: 'ALLOWED', message: 'allowed' },
    outside: []
  }
}

t.test('each source region gets the union of its profiles\' destinations, sorted, and parses as a catalog', async (t) => {
  const catalog = catalogFromAudit([
    profile('us.anthropic.claude-x', 'us-east-1', placed(['us-east-1', 'us-west-2'])),
    profile('us.meta.llama-y', 'us-east-1', placed(['us-east-2', 'us-east-1'])),
    profile('us.anthropic.claude-x', 'us-west-2', placed(['us-west-2']))
  ], ORIGIN)
  t.strictSame(catalog, {
    ...ORIGIN,
    prefixes: { us: { sources: { 'us-east-1': ['us-east-1', 'us-east-2', 'us-west-2'], 'us-west-2': ['us-west-2'] } } }
  })
  t.strictSame(parseCatalog(JSON.parse(JSON.stringify(catalog))), catalog)
})

t.test('a prefix with a profile that has no regional boundary is anyRegion', async (t) => {
  const catalog = catalogFromAudit([
    profile('global.anthropic.claude-x', 'us-east-1', placed(['*', 'us-east-1']))
  ], ORIGIN)
  t.strictSame(catalog.prefixes, { global: { anyRegion: true, sources: {} } })
  t.strictSame(parseCatalog(JSON.parse(JSON.stringify(catalog))).prefixes, catalog.prefixes)
})

t.test('application profiles and profiles AWS could not place are left out; prefixes come sorted', async (t) => {
  const catalog = catalogFromAudit([
    profile('us.anthropic.claude-x', 'us-east-1', placed(['us-east-1'])),
    profile('a1b2c3d4e5f6', 'us-east-1', placed(['eu-west-3']), 'APPLICATION'),
    profile('apac.anthropic.claude-x', 'us-east-1', { verified: false, problem: 'GetInferenceProfile timed out' }),
    profile('ca.anthropic.claude-x', 'ca-central-1', placed(['ca-central-1', 'ca-west-1']))
  ], ORIGIN)
  t.strictSame(Object.keys(catalog.prefixes), ['ca', 'us'])
})
