import t from 'tap'
import type { CredentialStatus } from '../../src/upstream/credentials.ts'
import { createReadiness, type ReadinessChecks } from '../../src/server/readiness.ts'

const NOW = Date.parse('2026-11-27T12:00:00Z')

function checks (overrides: Partial<ReadinessChecks> = {}): ReadinessChecks {
  return {
    configLoaded: () => true,
    credentials: (): CredentialStatus => ({ ok: true, expiresAt: new Date(NOW + 3_600_000) }),
    draining: () => false,
    monitorWindows: () => [],
    simulatedUpstream: () => false,
    ...overrides
  }
}

const readinessAt = (overrides: Partial<ReadinessChecks> = {}) => createReadiness(checks(overrides), { now: () => NOW })

t.test('ready when the config is loaded, credentials have time left and the gateway is not draining', async (t) => {
  const report = readinessAt()()
  t.equal(report.ready, true)
  t.same(report.checks, { config: { ok: true }, credentials: { ok: true, expiresInSeconds: 3600 }, draining: { ok: true } })
})

t.test('every caller enforced: readiness says enforce', async (t) => {
  t.same(readinessAt()().enforcement, { mode: 'enforce' })
})

t.test('monitor mode is announced with who and until when, and readiness still answers ready', async (t) => {
  const report = readinessAt({ monitorWindows: () => [{ subject: '*', endMs: NOW + 86_400_000 }, { subject: 'litellm', endMs: NOW + 3_600_000 }] })()
  t.equal(report.ready, true)
  t.match(report.enforcement, {
    mode: 'monitor',
    monitoring: [{ client: '*', until: '2026-11-28T12:00:00.000Z' }, { client: 'litellm', until: '2026-11-27T13:00:00.000Z' }],
    detail: /refusals are forwarded and logged as would_deny for every client without its own setting until 2026-11-28T12:00:00.000Z; litellm until/
  })
})

t.test('the Bedrock simulator as upstream is said on readiness; a real upstream says nothing', async (t) => {
  t.match(readinessAt({ simulatedUpstream: () => true })().simulator, /^SIMULATOR: the upstream is the built-in Bedrock simulator/)
  t.notOk('simulator' in readinessAt()())
})

t.test('long-term credentials without an expiry are ready', async (t) => {
  t.equal(readinessAt({ credentials: () => ({ ok: true }) })().ready, true)
})

t.test('no loaded config is not ready, and says so', async (t) => {
  const report = readinessAt({ configLoaded: () => false })()
  t.equal(report.ready, false)
  t.equal(report.checks.config.ok, false)
  t.match(report.checks.config.detail, /config/)
  t.equal(report.checks.credentials.ok, true, 'the other checks still report on their own')
})

t.test('credentials that do not resolve are not ready, with the provider\'s reason', async (t) => {
  const report = readinessAt({ credentials: () => ({ ok: false, error: 'Could not load credentials from any providers' }) })()
  t.equal(report.ready, false)
  t.match(report.checks.credentials.detail, /Could not load credentials from any providers/)
})

t.test('credentials about to expire are not ready', async (t) => {
  const report = readinessAt({ credentials: () => ({ ok: true, expiresAt: new Date(NOW + 59_000) }) })()
  t.equal(report.ready, false)
  t.equal(report.checks.credentials.expiresInSeconds, 59)
  t.match(report.checks.credentials.detail, /expire in 59 s/)
})

t.test('credentials with exactly the minimum lifetime left are ready', async (t) => {
  t.equal(readinessAt({ credentials: () => ({ ok: true, expiresAt: new Date(NOW + 60_000) }) })().ready, true)
})

t.test('the minimum credential lifetime is configurable', async (t) => {
  const readiness = createReadiness(checks({ credentials: () => ({ ok: true, expiresAt: new Date(NOW + 200_000) }) }), {
    now: () => NOW,
    minCredentialLifetimeSeconds: 300
  })
  t.equal(readiness().ready, false)
})

t.test('a draining gateway is not ready', async (t) => {
  const report = readinessAt({ draining: () => true })()
  t.equal(report.ready, false)
  t.equal(report.checks.draining.ok, false)
  t.match(report.checks.draining.detail, /draining/)
})

t.test('a check that throws fails closed instead of throwing', async (t) => {
  const report = readinessAt({ credentials: () => { throw new Error('provider exploded') } })()
  t.equal(report.ready, false)
  t.match(report.checks.credentials.detail, /provider exploded/)
})

t.test('every call looks again, so readiness follows the state', async (t) => {
  let draining = false
  const readiness = readinessAt({ draining: () => draining })
  t.equal(readiness().ready, true)
  draining = true
  t.equal(readiness().ready, false)
})
