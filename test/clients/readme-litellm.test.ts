import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { main } from '../../src/cli/main.ts'
import { capturedIo } from '../support/captured-io.ts'
import { BEARER_CLIENT, SIGV4_CLIENT, startGatewayHarness } from '../support/gateway-harness.ts'
import { pythonEnv, runPython } from '../support/python-env.ts'
import { CLIENT_FILE_TIMEOUT_MS, auditLines } from './fixtures/client-scripts.ts'
import {
  BEARER_EXAMPLE_PATH,
  LITELLM_CONFIG_PATH,
  SDK_EXAMPLE_PATH,
  codeBlocks,
  litellmEnvironment,
  litellmGuide,
  readDoc,
  readmeQuickStart,
  type CodeBlock
} from './fixtures/litellm-docs.ts'

t.setTimeout(CLIENT_FILE_TIMEOUT_MS)

// Every snippet of docs/litellm.md is exercised: the files it shows are the ones the client tests run (checked
// verbatim here), the keygen output is the command's real output, and the SDK examples run here. The README's LiteLLM
// quick start shows only blocks of docs/litellm.md.

const PROGRAM = 'npx bedrock-geofence'
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
const ENV_EXPORT = /^export ([A-Z0-9_]+)=(\S*)$/
const LITELLM_ENV_REFERENCE = /os\.environ\/([A-Z0-9_]+)/g

const blocks = codeBlocks(litellmGuide())

function blockWhere (description: string, matches: (block: CodeBlock) => boolean): CodeBlock {
  const found = blocks.filter(matches)
  if (found.length !== 1) throw new Error(`expected one code block with ${description} in docs/litellm.md, found ${found.length}`)
  return found[0] as CodeBlock
}

const keygenCommand = blockWhere('the keygen command', (block) => block.language === 'sh' && block.text.startsWith(`${PROGRAM} keygen`))
const keygenOutput = blockWhere('the keygen output', (block) => block.language === 'text' && block.text.includes('accessKeyId:'))
const environment = blockWhere('the environment', (block) => block.language === 'sh' && block.text.startsWith('export '))
const exported = new Map(environment.text.trimEnd().split('\n').map((line) => {
  const [, name, value] = ENV_EXPORT.exec(line) ?? []
  if (name === undefined || value === undefined) throw new Error(`not an export line: ${line}`)
  return [name, value]
}))

t.test('docs/litellm.md shows the proxy config.yaml the proxy test runs, verbatim', async (t) => {
  t.ok(blocks.some((block) => block.language === 'yaml' && block.text === readDoc(LITELLM_CONFIG_PATH)))
})

t.test('docs/litellm.md shows the SDK examples this file runs, verbatim', async (t) => {
  for (const path of [SDK_EXAMPLE_PATH, BEARER_EXAMPLE_PATH]) {
    t.ok(blocks.some((block) => block.language === 'python' && block.text === readDoc(path)), path)
  }
})

t.test('the keygen output docs/litellm.md shows is what the command prints, but for the random values', async (t) => {
  const io = capturedIo()
  const args = keygenCommand.text.trim().slice(PROGRAM.length).trim().split(/\s+/)
  t.equal(await main(args, io), 0, io.err())
  const shownKeyId = /accessKeyId: (\S+)/.exec(keygenOutput.text)?.[1] ?? ''
  const shownSecret = /_SECRET=(\S+)/.exec(keygenOutput.text)?.[1] ?? ''
  const printedKeyId = /accessKeyId: (\S+)/.exec(io.out())?.[1] ?? ''
  const printedSecret = /_SECRET=(\S+)/.exec(io.out())?.[1] ?? ''
  t.match(shownKeyId, /^GEOFENCE[A-Z0-9]{12}$/)
  t.equal(shownSecret.length, printedSecret.length)
  t.equal(keygenOutput.text, io.out().replaceAll(printedKeyId, shownKeyId).replaceAll(printedSecret, shownSecret))
})

t.test('the environment block of docs/litellm.md sets exactly what the tests give LiteLLM, and what config.yaml reads', async (t) => {
  const tested = litellmEnvironment('http://127.0.0.1:8080', SIGV4_CLIENT)
  t.same([...exported.keys()].sort(), Object.keys(tested).sort())
  const referenced = new Set([...readDoc(LITELLM_CONFIG_PATH).matchAll(LITELLM_ENV_REFERENCE)].map(([, name]) => name))
  t.ok([...referenced].every((name) => exported.has(name as string)), 'every os.environ/ reference is exported')
  t.notMatch(exported.get('AWS_BEDROCK_RUNTIME_ENDPOINT'), /\/$/, 'no trailing slash')
})

t.test('the environment block sets the key pair exactly as the keygen output names and shows it', async (t) => {
  for (const name of ['GEOFENCE_ACCESS_KEY_ID', 'GEOFENCE_SECRET_ACCESS_KEY']) {
    t.match(keygenOutput.text, `\n${name}=${exported.get(name)}\n`, name)
  }
})

t.test('the proxy is started with the config.yaml the proxy test runs', async (t) => {
  const start = blockWhere('the proxy command', (block) => block.language === 'sh' && block.text.startsWith('litellm '))
  const [, option, path, ...rest] = start.text.trim().split(/\s+/)
  t.equal(option, '--config')
  t.equal(resolve(REPO_ROOT, path ?? ''), LITELLM_CONFIG_PATH)
  t.same(rest, [])
})

t.test('the README\'s LiteLLM quick start shows only blocks of docs/litellm.md, tested here', async (t) => {
  const quickStart = codeBlocks(readmeQuickStart())
  t.same(quickStart.map((block) => block.language), ['sh', 'sh', 'sh'], 'keygen, environment, proxy')
  for (const shown of quickStart) {
    t.ok(blocks.some((block) => block.language === shown.language && block.text === shown.text), shown.text.split('\n')[0] ?? '')
  }
})

t.test('the SDK examples print the model\'s answer through the gateway', async (t) => {
  const harness = await startGatewayHarness(t)
  // Only the documented variables (and GEOFENCE_API_KEY for the bearer example): no AWS credentials to fall back on.
  const environmentFor = (extra: Record<string, string>): NodeJS.ProcessEnv =>
    pythonEnv({ ...litellmEnvironment(harness.gateway.url, SIGV4_CLIENT), ...extra })
  const [sigv4, bearer] = await Promise.all([
    runPython(SDK_EXAMPLE_PATH, [], environmentFor({})),
    runPython(BEARER_EXAMPLE_PATH, [], environmentFor({ GEOFENCE_API_KEY: BEARER_CLIENT.apiKey }))
  ])
  t.equal(sigv4.exitCode, 0, sigv4.stderr)
  t.equal(bearer.exitCode, 0, bearer.stderr)
  t.equal(sigv4.stdout, `${harness.fake.replyText}\n`)
  t.equal(bearer.stdout, `${harness.fake.replyText}\n`)
  const byClient = new Map(auditLines(harness).map((line) => [line.client, line]))
  t.match(byClient.get(SIGV4_CLIENT.name), { decision: 'allowed', operation: 'Converse', region: 'us-east-1' })
  t.match(byClient.get(BEARER_CLIENT.name), { decision: 'allowed', operation: 'Converse', region: 'us-west-2' })
  t.equal(harness.fake.requests.length, 2)
})
