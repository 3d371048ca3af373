/**
 * deploy/prometheus-rules.yaml is a valid Prometheus rules file, and its alerts fire, and stay quiet, as the unit
 * tests in deploy/prometheus-rules.test.yaml expect when promtool replays series through them.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { parse } from 'yaml'
import { deployTools, runTool } from '../support/deploy-tools.ts'

const RULES_FILE = fileURLToPath(new URL('../../deploy/prometheus-rules.yaml', import.meta.url))
const RULES_TESTS_FILE = fileURLToPath(new URL('../../deploy/prometheus-rules.test.yaml', import.meta.url))

interface RulesFile { groups: Array<{ rules: Array<{ alert: string }> }> }
interface RulesTests { tests: Array<{ alert_rule_test: Array<{ alertname: string, exp_alerts: unknown[] }> }> }

t.test('promtool check rules accepts the rules file', async (t) => {
  const { promtool } = await deployTools()
  const result = await runTool(promtool, ['check', 'rules', RULES_FILE])
  t.equal(result.exitCode, 0, result.stdout + result.stderr)
})

t.test('promtool test rules passes every alert unit test', async (t) => {
  const { promtool } = await deployTools()
  const result = await runTool(promtool, ['test', 'rules', RULES_TESTS_FILE])
  t.equal(result.exitCode, 0, result.stdout + result.stderr)
})

t.test('every alert has a unit test in which it fires and one in which it stays quiet', async (t) => {
  const alerts = (parse(readFileSync(RULES_FILE, 'utf8')) as RulesFile).groups.flatMap((group) => group.rules.map((rule) => rule.alert))
  const cases = (parse(readFileSync(RULES_TESTS_FILE, 'utf8')) as RulesTests).tests.flatMap((test) => test.alert_rule_test)
  for (const alert of alerts) {
    const expectations = cases.filter((one) => one.alertname === alert)
    t.ok(expectations.some((one) => one.exp_alerts.length > 0), `${alert} fires`)
    t.ok(expectations.some((one) => one.exp_alerts.length === 0), `${alert} stays quiet`)
  }
})
