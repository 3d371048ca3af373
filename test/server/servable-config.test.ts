import t from 'tap'
import { loadServableConfig, UnacknowledgedFindingsError } from '../../src/server/servable-config.ts'
import { ConfigError } from '../../src/config/load-config.ts'
import { writeConfig } from '../support/config-file.ts'

const GLOBAL_ALLOWED = `
allow: { regions: [us-east-1, us-east-2, us-west-1, us-west-2], inferenceProfilePrefixes: [us, global] }
`

t.test('a config with an unacknowledged finding is refused, naming the finding', async (t) => {
  const error = await loadServableConfig(writeConfig(t, GLOBAL_ALLOWED), {}).catch((caught: unknown) => caught)
  t.type(error, UnacknowledgedFindingsError)
  t.strictSame((error as UnacknowledgedFindingsError).findings.map(({ id }) => id), ['global-allowed'])
})

t.test('the same config with the finding acknowledged is served', async (t) => {
  const config = await loadServableConfig(writeConfig(t, `${GLOBAL_ALLOWED}
acknowledge: [{ finding: global-allowed, reason: "sandbox account" }]
`), {})
  t.strictSame(config.allow.inferenceProfilePrefixes, ['us', 'global'])
})

t.test('an invalid config is still a config error', async (t) => {
  await t.rejects(loadServableConfig(writeConfig(t, 'allow: {}\n'), {}), ConfigError)
})
