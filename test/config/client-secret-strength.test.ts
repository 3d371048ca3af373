import t, { type Test } from 'tap'
import { ConfigError, loadConfig } from '../../src/config/load-config.ts'
import { MINIMAL_CONFIG, writeConfig } from '../support/config-file.ts'

/** What `keygen` issues: 40 base64url characters. */
const KEYGEN_SHAPED_SECRET = 'Qm9vW1x2-3_pLk8rTzA0yHcN5eUuJdVfGsIbOaXw'

const sigv4Client = `${MINIMAL_CONFIG}
clients:
  - name: litellm
    accessKeyId: GEOFENCELITELLM01
    secretAccessKey: \${env:LITELLM_SECRET}
`

async function problemsFor (t: Test, secret: string): Promise<readonly string[]> {
  try {
    await loadConfig(writeConfig(t, sigv4Client), { LITELLM_SECRET: secret })
    return []
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
}

const WEAK_SECRETS: ReadonlyArray<readonly [string, string]> = [
  ['three characters', 'abc'],
  ['31 characters of a mixed alphabet', 'Ab1-'.repeat(8).slice(0, 31)],
  ['40 lower-case letters only', 'abcdefghijklmnopqrstuvwxyzabcdefghijklmn'],
  ['40 characters repeating a few', 'ab12'.repeat(10)]
]

for (const [title, secret] of WEAK_SECRETS) {
  t.test(`a secretAccessKey of ${title} is refused without echoing it`, async (t) => {
    const problems = await problemsFor(t, secret)
    t.strictSame(problems, [
      'clients[0].secretAccessKey: is too weak (expected at least 32 characters from at least two of: lower-case ' +
        'letters, upper-case letters, digits, symbols; with at least 12 different characters; `bedrock-geofence keygen` issues such secrets)'
    ])
    t.notMatch(problems.join('\n'), secret)
  })
}

t.test('a secret shaped like the ones keygen issues is accepted', async (t) => {
  t.strictSame(await problemsFor(t, KEYGEN_SHAPED_SECRET), [])
})

t.test('an unset secret is reported once, as unset, not also as weak', async (t) => {
  const problems = await loadConfig(writeConfig(t, sigv4Client), {}).catch((error: unknown) => (error as ConfigError).problems)
  t.strictSame(problems, ['clients[0].secretAccessKey: ${env:LITELLM_SECRET} is not set'])
})
