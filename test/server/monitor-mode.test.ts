import t from 'tap'
import { deny, allow } from '../../src/core/decision.ts'
import type { GeofenceConfig } from '../../src/config/types.ts'
import { monitorEnds, reportsOnly } from '../../src/server/monitor-mode.ts'

const NOW = Date.parse('2026-12-07T12:00:00Z')
const LATER = '2026-12-20T00:00:00Z'
const MONITOR = { mode: 'monitor', until: LATER } as const

function configWith (enforcement: object, clients: object[]): GeofenceConfig {
  return { enforcement, clients } as unknown as GeofenceConfig
}

t.test('a client without its own setting follows the global one; its own setting wins either way', async (t) => {
  const ends = monitorEnds(configWith(MONITOR, [{ name: 'a' }, { name: 'b', enforcement: { mode: 'enforce' } }]), 'anonymous')
  t.same([...ends], [['a', Date.parse(LATER)]])
  const own = monitorEnds(configWith({ mode: 'enforce' }, [{ name: 'a' }, { name: 'b', enforcement: MONITOR }]), 'anonymous')
  t.same([...own], [['b', Date.parse(LATER)]])
})

t.test('without clients, the global setting applies to the anonymous caller', async (t) => {
  t.same([...monitorEnds(configWith(MONITOR, []), 'anonymous')], [['anonymous', Date.parse(LATER)]])
})

t.test('only allowlist refusals are reported instead of enforced, and only before the end', async (t) => {
  const end = Date.parse(LATER)
  t.equal(reportsOnly(deny('PROFILE_PREFIX_NOT_ALLOWED', 'x'), end, NOW), true)
  t.equal(reportsOnly(deny('ROUTING_UNVERIFIED', 'x'), end, NOW), true)
  t.equal(reportsOnly(deny('PROFILE_PREFIX_NOT_ALLOWED', 'x'), end, end), false, 'over at its end')
  t.equal(reportsOnly(deny('PROFILE_PREFIX_NOT_ALLOWED', 'x'), undefined, NOW), false, 'enforced caller')
  for (const reason of ['MALFORMED_REQUEST', 'UNKNOWN_OPERATION', 'OPERATION_NOT_SUPPORTED'] as const) {
    t.equal(reportsOnly(deny(reason, 'x'), end, NOW), false, reason)
  }
  t.equal(reportsOnly(allow('x'), end, NOW), false, 'nothing to report about an allowed request')
})
