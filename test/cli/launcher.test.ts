import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const LAUNCHER = 'bin/bedrock-geofence.js'
const BUILT_MAIN = 'dist/cli/main.js'

/** The launcher runs the build in dist/, which `npm ci` makes through `prepare`. */
function run (...args: string[]): { status: number | null, stdout: string, stderr: string } {
  const result = spawnSync(process.execPath, [LAUNCHER, ...args], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH } })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

t.before(() => {
  if (!existsSync(`${ROOT}${BUILT_MAIN}`)) throw new Error(`${BUILT_MAIN} is missing: run npm run build (npm ci does)`)
})

t.test('the launcher prints the seed policy from the default config path', async (t) => {
  const { status, stdout } = run('policy')
  t.equal(status, 0)
  t.equal(stdout, readFileSync(`${ROOT}test/policy/fixtures/iam-seed.json`, 'utf8'))
})

t.test('the launcher exits 1 when explain denies', async (t) => {
  const { status, stdout } = run('explain', '--region', 'eu-west-2', '--model', 'eu.anthropic.claude-3-5-sonnet-20241022-v2:0')
  t.equal(status, 1)
  t.match(stdout, 'PROFILE_PREFIX_NOT_ALLOWED')
})

t.test('the launcher exits 2 on a usage error', async (t) => {
  const { status, stderr } = run('policy', '--format', 'yaml')
  t.equal(status, 2)
  t.match(stderr, 'Allowed choices are iam, scp.')
})

t.test('the launcher prints help and exits 0', async (t) => {
  const { status, stdout } = run('--help')
  t.equal(status, 0)
  t.match(stdout, 'Usage: bedrock-geofence')
})
