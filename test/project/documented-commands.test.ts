/** The commands the README and docs/ show run as they are written, from a checkout after `npm ci`. */
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const DOCUMENTS = ['README.md', 'examples/litellm-config.yaml', ...readdirSync(`${ROOT}docs`).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)]
const SUBCOMMANDS = ['keygen', 'explain', 'policy', 'check', 'serve', 'audit-profiles', 'audit-agents', 'report', 'demo']
/** The command written bare: a shell finds no `bedrock-geofence` unless the package was installed globally. */
const BARE_COMMAND = new RegExp(`(?:^|[\`\\s])(?<!npx )bedrock-geofence (?:${SUBCOMMANDS.join('|')})\\b`, 'gm')

t.test('every command in the README and docs/ is written as npx bedrock-geofence', async (t) => {
  for (const document of DOCUMENTS) {
    const bare = [...readFileSync(`${ROOT}${document}`, 'utf8').matchAll(BARE_COMMAND)].map((match) => match[0].trim())
    t.same(bare, [], document)
  }
})

t.test('npx bedrock-geofence runs the checkout\'s command line, with no global install', async (t) => {
  // The project's own Node first, as `npm test` and CI run it.
  const path = `${ROOT}node_modules/.bin:${dirname(process.execPath)}:${process.env.PATH ?? ''}`
  const result = spawnSync('npx', ['--no-install', 'bedrock-geofence', 'policy'], { cwd: ROOT, encoding: 'utf8', env: { PATH: path, HOME: process.env.HOME } })
  t.equal(result.status, 0, result.stderr)
  t.equal(result.stdout, readFileSync(`${ROOT}test/policy/fixtures/iam-seed.json`, 'utf8'))
})
