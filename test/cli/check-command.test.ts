import t from 'tap'
import { main } from '../../src/cli/main.ts'
import { capturedIo } from '../support/captured-io.ts'
import { writeConfig } from '../support/config-file.ts'
import { SHIPPED_CONFIG_PATH } from '../support/shipped-config.ts'

const WITH_EU_AND_GLOBAL = `
allow:
  regions: [us-east-1, us-east-2, us-west-1, us-west-2, eu-west-2]
  inferenceProfilePrefixes: [us, eu, global]
`
const EU_FINDING = 'prefix-routes-outside:eu:eu-west-2: eu called from eu-west-2 can run in eu-central-1, eu-north-1, ' +
  'eu-south-1, eu-south-2, eu-west-1, eu-west-3, outside allow.regions (routing catalog 2025-12)'
const GLOBAL_FINDING = 'global-allowed: global is in allow.inferenceProfilePrefixes: global profiles can run in any ' +
  'commercial region, with no geographic boundary at all'

t.test('the shipped config checks clean', async (t) => {
  const io = capturedIo()
  t.equal(await main(['check', '--config', SHIPPED_CONFIG_PATH], io), 0)
  t.equal(io.out(), `${SHIPPED_CONFIG_PATH}: valid, no findings\n`)
  t.equal(io.err(), '')
})

t.test('findings are printed one a line and exit 1', async (t) => {
  const io = capturedIo()
  t.equal(await main(['check', '--config', writeConfig(t, WITH_EU_AND_GLOBAL)], io), 1)
  t.equal(io.out(), `${EU_FINDING}\n${GLOBAL_FINDING}\n`)
})

t.test('acknowledged findings are still shown, with their reason, and no longer fail the check', async (t) => {
  const io = capturedIo()
  const path = writeConfig(t, `${WITH_EU_AND_GLOBAL}
acknowledge:
  - { finding: "prefix-routes-outside:eu:eu-west-2", reason: "EU processing approved by DPO" }
  - { finding: global-allowed, reason: "evaluation account only" }
`)
  t.equal(await main(['check', '--config', path], io), 0)
  t.equal(io.out(), `${EU_FINDING} (acknowledged: EU processing approved by DPO)\n` +
    `${GLOBAL_FINDING} (acknowledged: evaluation account only)\n`)
})

t.test('one acknowledged finding does not cover another', async (t) => {
  const io = capturedIo()
  const path = writeConfig(t, `${WITH_EU_AND_GLOBAL}
acknowledge:
  - { finding: global-allowed, reason: "evaluation account only" }
`)
  t.equal(await main(['check', '--config', path], io), 1)
})

t.test('an acknowledgement of nothing is a warning on stderr, not a failure', async (t) => {
  const io = capturedIo()
  const path = writeConfig(t, `
allow: { regions: [us-east-1, us-east-2, us-west-1, us-west-2], inferenceProfilePrefixes: [us] }
acknowledge:
  - { finding: global-allowed, reason: "left over" }
`)
  t.equal(await main(['check', '--config', path], io), 0)
  t.equal(io.err(), 'warning: acknowledge names "global-allowed", which is not a current finding\n')
})

t.test('monitor mode is flagged on stderr with who and until when, without failing the check', async (t) => {
  const io = capturedIo()
  const until = new Date(Date.now() + 86_400_000).toISOString()
  const path = writeConfig(t, `${WITH_EU_AND_GLOBAL.replace(', eu, global', '')}\nenforcement: { mode: monitor, until: "${until}" }\n`)
  t.equal(await main(['check', '--config', path], io), 0)
  t.equal(io.err(), `warning: monitor mode for every client without its own enforcement until ${until}: allowlist refusals are forwarded to Bedrock and logged as would_deny\n`)
})

t.test('monitor mode that has ended is noted as a setting that can go', async (t) => {
  const io = capturedIo()
  const path = writeConfig(t, `${WITH_EU_AND_GLOBAL.replace(', eu, global', '')}\nenforcement: { mode: monitor, until: "2026-01-01T00:00:00Z" }\n`)
  t.equal(await main(['check', '--config', path], io), 0)
  t.equal(io.err(), 'note: monitor mode of enforcement ended 2026-01-01T00:00:00Z; the gateway enforces, and the setting can go\n')
})
