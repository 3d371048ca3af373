import t from 'tap'
import { loadConfig } from '../../src/config/load-config.ts'
import { enforcementProblems, GLOBAL_WINDOW, MAX_MONITOR_DAYS, monitorEndMs, openMonitorWindows } from '../../src/config/enforcement.ts'
import type { GeofenceConfig } from '../../src/config/types.ts'
import { writeConfig } from '../support/config-file.ts'

const NOW = Date.parse('2026-12-07T12:00:00Z')
const BASE = 'allow: { regions: [eu-west-2], inferenceProfilePrefixes: [] }\nlisten: { host: 127.0.0.1, port: 0 }\n'

function problemsOf (enforcement: object, clients: object[] = []): string[] {
  // enforcementProblems reads only the enforcement settings of the config it is given.
  return enforcementProblems({ enforcement, clients } as unknown as Parameters<typeof enforcementProblems>[0], NOW)
}

t.test('enforce, the default, needs nothing more', async (t) => {
  t.same(problemsOf({ mode: 'enforce' }), [])
})

t.test('monitor mode without an end is refused, saying what to add', async (t) => {
  t.match(problemsOf({ mode: 'monitor' }), [/^enforcement.until: monitor mode needs an end, an instant in UTC at most 90 days ahead/])
})

t.test(`monitor mode ending more than ${MAX_MONITOR_DAYS} days ahead is refused`, async (t) => {
  t.match(problemsOf({ mode: 'monitor', until: '2027-03-08T12:00:01Z' }), [/more than 90 days ahead/])
  t.same(problemsOf({ mode: 'monitor', until: '2027-03-07T12:00:00Z' }), [])
})

t.test('monitor mode that has already ended is no problem: it enforces', async (t) => {
  t.same(problemsOf({ mode: 'monitor', until: '2026-12-01T00:00:00Z' }), [])
})

t.test('an end given to enforce mode is refused as meaningless', async (t) => {
  t.match(problemsOf({ mode: 'enforce', until: '2026-12-31T00:00:00Z' }), [/^enforcement.until: only monitor mode ends/])
})

t.test('a client\'s own setting is checked under its own path', async (t) => {
  t.match(problemsOf({ mode: 'enforce' }, [{ name: 'a' }, { name: 'b', enforcement: { mode: 'monitor' } }]), [/^clients\[1\].enforcement.until:/])
})

t.test('monitorEndMs is the end of monitor mode, and nothing for enforce', async (t) => {
  t.equal(monitorEndMs({ mode: 'monitor', until: '2026-12-31T00:00:00Z' }), Date.parse('2026-12-31T00:00:00Z'))
  t.equal(monitorEndMs({ mode: 'enforce' }), undefined)
  t.equal(monitorEndMs(undefined), undefined)
})

t.test('the config file: enforcement defaults to enforce, and a date that is not an instant in UTC is refused', async (t) => {
  t.same((await loadConfig(writeConfig(t, BASE), {})).enforcement, { mode: 'enforce' })
  await t.rejects(loadConfig(writeConfig(t, `${BASE}enforcement: { mode: monitor, until: "2026-12-31" }`), {}), /enforcement\.until/)
})

t.test('the open windows are the global one and each client\'s own, ended ones left out', async (t) => {
  const monitor = { mode: 'monitor', until: '2026-12-20T00:00:00Z' }
  const config = { enforcement: monitor, clients: [{ name: 'a', enforcement: { mode: 'monitor', until: '2026-12-01T00:00:00Z' } }, { name: 'b', enforcement: monitor }] } as unknown as GeofenceConfig
  t.same(openMonitorWindows(config, NOW), [{ subject: GLOBAL_WINDOW, endMs: Date.parse(monitor.until) }, { subject: 'b', endMs: Date.parse(monitor.until) }])
})
