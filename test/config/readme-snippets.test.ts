import { readFile } from 'node:fs/promises'
import t from 'tap'
import { loadConfig } from '../../src/config/load-config.ts'
import { findings, unacknowledged } from '../../src/policy/findings.ts'
import { writeConfig } from '../support/config-file.ts'

const CONFIGURATION_DOC = new URL('../../docs/configuration.md', import.meta.url)

/** The first yaml block under a heading of docs/configuration.md, exactly as a user would copy it. */
async function yamlBlockUnder (heading: string): Promise<string> {
  const markdown = await readFile(CONFIGURATION_DOC, 'utf8')
  const from = markdown.indexOf(heading)
  const block = /```yaml\n([\s\S]*?)```/.exec(markdown.slice(from))
  if (from === -1 || block === null) throw new Error(`docs/configuration.md has no yaml block under ${heading}`)
  return block[1] as string
}

const ALLOW = `allow:
  regions: [us-east-1, us-west-2, eu-west-2]
  inferenceProfilePrefixes: [us]
`

t.test('the documented clients example loads, narrowing the SigV4 client and keeping the bearer key as its hash', async (t) => {
  const snippet = await yamlBlockUnder('## `clients`')
  const config = await loadConfig(writeConfig(t, ALLOW + snippet), { GEOFENCE_LITELLM_SECRET: 'a-secret-from-the-store-for-tests-0123' })
  const [litellm, batch] = config.clients
  t.match(litellm, { kind: 'sigv4', name: 'litellm', secretAccessKey: 'a-secret-from-the-store-for-tests-0123' })
  t.same(litellm?.allow.regions, ['eu-west-2'])
  t.same(litellm?.allow.inferenceProfilePrefixes, [])
  t.match(batch, { kind: 'bearer', name: 'batch-tool', defaultRegion: 'us-east-1' })
})

t.test('the documented acknowledge example names a finding check really reports, and accepts it', async (t) => {
  const snippet = await yamlBlockUnder('## `acknowledge`')
  const config = await loadConfig(writeConfig(t, ALLOW.replace('[us]', '[us, eu]') + snippet), {})
  const found = findings(config)
  t.ok(found.some(({ id }) => id === 'prefix-routes-outside:eu:eu-west-2'), 'the acknowledged id is a current finding')
  t.notOk(unacknowledged(found, config.acknowledge).some(({ id }) => id === 'prefix-routes-outside:eu:eu-west-2'))
})
