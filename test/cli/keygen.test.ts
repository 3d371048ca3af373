import { createHash } from 'node:crypto'
import t, { type Test } from 'tap'
import { main } from '../../src/cli/main.ts'
import { loadConfig } from '../../src/config/load-config.ts'
import { startGateway } from '../../src/server/serve.ts'
import { capturedIo } from '../support/captured-io.ts'
import { MINIMAL_CONFIG, writeConfig } from '../support/config-file.ts'
import { FAKE_UPSTREAM_CREDENTIALS, sendRaw, sendSigned, startFakeBedrock } from '../support/fake-bedrock/index.ts'

const ACCESS_KEY_ID = /^GEOFENCE[A-Z0-9]{12}$/
const BASE64URL_40 = /^[A-Za-z0-9_-]{40}$/
const CONVERSE_PATH = '/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse'
const CONVERSE_BODY = JSON.stringify({ messages: [{ role: 'user', content: [{ text: 'Hi' }] }] })

interface PrintedSigV4 {
  readonly snippet: string
  readonly secretVariable: string
  readonly secret: string
  readonly accessKeyId: string
  readonly clientSecret: string
}

async function keygen (args: string[]): Promise<string> {
  const io = capturedIo()
  const exitCode = await main(['keygen', ...args], io)
  if (exitCode !== 0) throw new Error(`keygen exited ${exitCode}: ${io.err()}`)
  return io.out()
}

/** Reads the text output the way a person copies it: the YAML block, then the NAME=value lines. */
function readSigV4Output (text: string): PrintedSigV4 {
  const snippet = /^(clients:\n(?: {2}.*\n)+)/m.exec(text)?.[1]
  const [, secretVariable, secret] = /^(GEOFENCE_[A-Z0-9_]+_SECRET)=(.+)$/m.exec(text) ?? []
  const accessKeyId = /^GEOFENCE_ACCESS_KEY_ID=(.+)$/m.exec(text)?.[1]
  const clientSecret = /^GEOFENCE_SECRET_ACCESS_KEY=(.+)$/m.exec(text)?.[1]
  if (snippet === undefined || secretVariable === undefined || secret === undefined ||
      accessKeyId === undefined || clientSecret === undefined) {
    throw new Error(`unexpected keygen output:\n${text}`)
  }
  return { snippet, secretVariable, secret, accessKeyId, clientSecret }
}

/** A gateway whose config is the seed allowlist plus `clientsBlock`, in front of a fake Bedrock. */
async function gatewayWith (t: Test, clientsBlock: string, env: NodeJS.ProcessEnv) {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  const path = writeConfig(t, `${MINIMAL_CONFIG}
listen: { host: 127.0.0.1, port: 0 }
admin: { host: 127.0.0.1, port: 0 }
upstream: { endpoint: "${fake.url}" }
log: { level: silent }
${clientsBlock}`)
  const config = await loadConfig(path, env)
  const gateway = await startGateway(config, { credentialProvider: async () => FAKE_UPSTREAM_CREDENTIALS })
  t.teardown(() => gateway.shutdown())
  return { fake, gateway, config }
}

t.test('keygen prints a GEOFENCE access key id and a 40-character secret, the same for gateway and client', async (t) => {
  const printed = readSigV4Output(await keygen([]))
  t.match(printed.accessKeyId, ACCESS_KEY_ID)
  t.match(printed.secret, BASE64URL_40)
  t.equal(printed.clientSecret, printed.secret)
  t.equal(printed.secretVariable, 'GEOFENCE_LITELLM_SECRET', 'the default client name is litellm')
  t.equal(printed.snippet, [
    'clients:',
    '  - name: litellm',
    `    accessKeyId: ${printed.accessKeyId}`,
    '    secretAccessKey: ${env:GEOFENCE_LITELLM_SECRET}',
    ''
  ].join('\n'), 'the secret itself is only referenced, never written into the config')
})

t.test('a gateway configured with the printed snippet accepts requests signed with the printed pair', async (t) => {
  const printed = readSigV4Output(await keygen(['--name', 'team-a.prod']))
  t.equal(printed.secretVariable, 'GEOFENCE_TEAM_A_PROD_SECRET')
  const { fake, gateway } = await gatewayWith(t, printed.snippet, { [printed.secretVariable]: printed.secret })
  const response = await sendSigned(gateway.url, {
    method: 'POST',
    path: CONVERSE_PATH,
    region: 'us-east-1',
    credentials: { accessKeyId: printed.accessKeyId, secretAccessKey: printed.clientSecret },
    headers: { 'content-type': 'application/json' },
    body: CONVERSE_BODY
  })
  t.equal(response.status, 200, response.body.toString())
  t.equal(fake.requests.length, 1)
  t.equal(fake.requests[0]?.path, CONVERSE_PATH)
})

t.test('a request signed with another secret for the printed key id is refused and not forwarded', async (t) => {
  const printed = readSigV4Output(await keygen([]))
  const { fake, gateway } = await gatewayWith(t, printed.snippet, { [printed.secretVariable]: printed.secret })
  const response = await sendSigned(gateway.url, {
    method: 'POST',
    path: CONVERSE_PATH,
    region: 'us-east-1',
    credentials: { accessKeyId: printed.accessKeyId, secretAccessKey: `${printed.secret}x` },
    headers: { 'content-type': 'application/json' },
    body: CONVERSE_BODY
  })
  t.equal(response.status, 403)
  t.equal(response.headers['x-amzn-errortype'], 'InvalidSignatureException')
  t.equal(fake.requests.length, 0)
})

t.test('every run issues a new key pair', async (t) => {
  const first = JSON.parse(await keygen(['--json'])) as { accessKeyId: string, secretAccessKey: string }
  const second = JSON.parse(await keygen(['--json'])) as { accessKeyId: string, secretAccessKey: string }
  t.not(first.accessKeyId, second.accessKeyId)
  t.not(first.secretAccessKey, second.secretAccessKey)
})

t.test('keygen --json gives the key, the secret variable and the config snippet as fields', async (t) => {
  const key = JSON.parse(await keygen(['--json', '--name', 'etl'])) as Record<string, string>
  t.same(Object.keys(key).sort(), ['accessKeyId', 'configSnippet', 'kind', 'name', 'secretAccessKey', 'secretVariable'])
  t.equal(key.kind, 'sigv4')
  t.equal(key.name, 'etl')
  t.match(key.accessKeyId, ACCESS_KEY_ID)
  t.match(key.secretAccessKey, BASE64URL_40)
  t.equal(key.secretVariable, 'GEOFENCE_ETL_SECRET')
  t.match(key.configSnippet, `    accessKeyId: ${key.accessKeyId}\n`)
  t.notMatch(key.configSnippet, key.secretAccessKey as string)
})

t.test('a name YAML would read as a number stays a string in the snippet', async (t) => {
  const key = JSON.parse(await keygen(['--json', '--name', '2026'])) as Record<string, string>
  const { config } = await gatewayWith(t, key.configSnippet as string, { [key.secretVariable as string]: key.secretAccessKey })
  t.equal(config.clients[0]?.name, '2026')
})

t.test('keygen --bearer prints the sha256 line for the config and the key for the client', async (t) => {
  const text = await keygen(['--bearer', '--name', 'batch-tool'])
  const apiKey = /^(bgf_[A-Za-z0-9_-]{43})$/m.exec(text)?.[1] as string
  t.ok(apiKey, 'the key is printed on a line of its own')
  const sha256 = createHash('sha256').update(apiKey).digest('hex')
  t.match(text, `clients:\n  - name: batch-tool\n    apiKeySha256: ${sha256}\n`)
})

t.test('a gateway configured with the bearer snippet accepts the printed key', async (t) => {
  const key = JSON.parse(await keygen(['--bearer', '--json', '--name', 'batch-tool'])) as Record<string, string>
  t.equal(key.kind, 'bearer')
  t.notMatch(key.configSnippet, key.apiKey as string, 'the config holds only the digest')
  const { fake, gateway } = await gatewayWith(t, key.configSnippet as string, {})
  const response = await sendRaw(gateway.url, {
    method: 'POST',
    path: `/us-west-2${CONVERSE_PATH}`,
    headers: { authorization: `Bearer ${key.apiKey}`, 'content-type': 'application/json' },
    body: CONVERSE_BODY
  })
  t.equal(response.status, 200, response.body.toString())
  t.equal(fake.requests[0]?.region, 'us-west-2')
})

t.test('a name the config would refuse is a usage error', async (t) => {
  const io = capturedIo()
  t.equal(await main(['keygen', '--name', 'has space'], io), 2)
  t.equal(io.out(), '')
  t.match(io.err(), '"has space" is not a client name')
})
