import t from 'tap'
import { findings, staleAcknowledgements, unacknowledged } from '../../src/policy/findings.ts'
import { parseCatalog } from '../../src/config/routing-catalog.ts'
import { shippedConfig, shippedConfigWith } from '../support/shipped-config.ts'

t.test('the shipped config has no findings: us from its regions stays in us-east-1/2, us-west-1/2 and ca-*', async (t) => {
  t.strictSame(findings(await shippedConfig()), [])
})

t.test('eu allowed from eu-west-2 is reported with every destination outside the allowlist', async (t) => {
  const found = findings(await shippedConfigWith({ inferenceProfilePrefixes: ['us', 'eu'] }))
  t.strictSame(found, [{
    id: 'prefix-routes-outside:eu:eu-west-2',
    message: 'eu called from eu-west-2 can run in eu-central-1, eu-north-1, eu-south-1, eu-south-2, eu-west-1, ' +
      'eu-west-3, outside allow.regions (routing catalog 2025-12)'
  }])
})

t.test('us called from a region whose destinations are not all allowed is reported per source region', async (t) => {
  const found = findings(await shippedConfigWith({ regions: ['us-east-1', 'us-west-1'], inferenceProfilePrefixes: ['us'] }))
  t.strictSame(found.map(({ id }) => id), ['prefix-routes-outside:us:us-east-1', 'prefix-routes-outside:us:us-west-1'])
  t.match(found[0]!.message, /^us called from us-east-1 can run in us-east-2, us-west-2, outside allow\.regions/)
})

t.test('global allowed is a finding of its own', async (t) => {
  const found = findings(await shippedConfigWith({ inferenceProfilePrefixes: ['us', 'global'] }))
  t.strictSame(found.map(({ id }) => id), ['global-allowed'])
  t.match(found[0]!.message, 'any commercial region')
})

t.test('a prefix no allowed region can call is reported', async (t) => {
  const found = findings(await shippedConfigWith({ inferenceProfilePrefixes: ['us', 'jp'] }))
  t.strictSame(found, [{
    id: 'prefix-not-callable:jp',
    message: 'jp profiles cannot be called from any region in allow.regions (routing catalog 2025-12), so the gateway refuses them all'
  }])
})

t.test('a prefix the catalog does not know is reported as not callable', async (t) => {
  const found = findings(await shippedConfigWith({ inferenceProfilePrefixes: ['uk'] }))
  t.strictSame(found, [{
    id: 'prefix-not-callable:uk',
    message: 'uk profiles are unknown to the routing catalog (2025-12), so the gateway refuses them all'
  }])
})

t.test('findings follow the catalog they are given', async (t) => {
  const catalog = parseCatalog({
    date: '2026-06',
    source: 'test',
    prefixes: { us: { sources: { 'us-east-1': ['us-east-1', 'us-east-2'] } }, any: { anyRegion: true, sources: {} } }
  })
  const found = findings(await shippedConfigWith({ regions: ['us-east-1'], inferenceProfilePrefixes: ['us', 'any'] }), catalog)
  t.strictSame(found, [
    {
      id: 'prefix-routes-outside:us:us-east-1',
      message: 'us called from us-east-1 can run in us-east-2, outside allow.regions (routing catalog 2026-06)'
    },
    {
      id: 'prefix-routes-outside:any:us-east-1',
      message: 'any called from us-east-1 can run in any commercial region, outside allow.regions (routing catalog 2026-06)'
    }
  ])
})

const EU_FINDING = { id: 'prefix-routes-outside:eu:eu-west-2', message: 'eu ...' }
const GLOBAL_FINDING = { id: 'global-allowed', message: 'global ...' }

t.test('an acknowledged finding is no longer outstanding', async (t) => {
  const outstanding = unacknowledged([EU_FINDING, GLOBAL_FINDING],
    [{ finding: 'prefix-routes-outside:eu:eu-west-2', reason: 'France is approved for this team' }])
  t.strictSame(outstanding, [GLOBAL_FINDING])
})

t.test('an acknowledgement must name the finding exactly', async (t) => {
  const outstanding = unacknowledged([EU_FINDING], [{ finding: 'prefix-routes-outside:eu', reason: 'all of eu' }])
  t.strictSame(outstanding, [EU_FINDING])
})

t.test('an acknowledgement naming no current finding is stale', async (t) => {
  const stale = { finding: 'prefix-routes-outside:eu:eu-west-1', reason: 'old' }
  t.strictSame(staleAcknowledgements([EU_FINDING], [{ finding: EU_FINDING.id, reason: 'ok' }, stale]), [stale])
})
