/**
 * The README's "First call": its curl commands, sent as written to a gateway running the shipped config (only the
 * upstream moved to a fake Bedrock, the ports to free ones, and event-loop shedding off as for every in-process
 * gateway), answer as the README says.
 */
import { readFileSync } from 'node:fs'
import { pino } from 'pino'
import t from 'tap'
import { loadConfig } from '../../src/config/load-config.ts'
import { startGateway } from '../../src/server/serve.ts'
import { writeConfig } from '../support/config-file.ts'
import { inProcessLimitsYaml } from '../support/gateway-clients.ts'
import { FAKE_UPSTREAM_CREDENTIALS, startFakeBedrock } from '../support/fake-bedrock/index.ts'
import { SHIPPED_CONFIG_PATH } from '../support/shipped-config.ts'

const README = new URL('../../README.md', import.meta.url)
const SECTION_HEADING = '## First call'
const SHIPPED_ORIGIN = 'http://127.0.0.1:8080'

interface CodeBlock { readonly language: string, readonly text: string }

function firstCallBlocks (): CodeBlock[] {
  const readme = readFileSync(README, 'utf8')
  const start = readme.indexOf(`\n${SECTION_HEADING}\n`)
  if (start === -1) throw new Error(`README.md has no "${SECTION_HEADING}" section`)
  const end = readme.indexOf('\n## ', start + 1)
  const section = readme.slice(start, end === -1 ? undefined : end)
  return [...section.matchAll(/^```(\S*)\n([\s\S]*?)^```$/gm)].map(([, language, text]) => ({ language: language ?? '', text: text ?? '' }))
}

/** The words of a shell command, as sh would split them: quotes, and backslash-newline continuations. */
function shellWords (command: string): string[] {
  const words: string[] = []
  let word: string | undefined
  const text = command.replaceAll('\\\n', ' ')
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string
    if (char === "'" || char === '"') {
      const close = text.indexOf(char, i + 1)
      if (close === -1) throw new Error(`unterminated quote in: ${command}`)
      word = (word ?? '') + text.slice(i + 1, close)
      i = close
    } else if (/\s/.test(char)) {
      if (word !== undefined) words.push(word)
      word = undefined
    } else {
      word = (word ?? '') + char
    }
  }
  if (word !== undefined) words.push(word)
  return words
}

interface CurlRequest { readonly url: string, readonly headers: Record<string, string>, readonly body: string }

/** The request a `curl -sS URL -H ... -d ...` command sends (a POST, as -d makes it). */
function curlRequest (command: string): CurlRequest {
  const [program, ...args] = shellWords(command.trim())
  if (program !== 'curl') throw new Error(`not a curl command: ${command}`)
  let url: string | undefined
  const headers: Record<string, string> = {}
  let body: string | undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    if (arg === '-sS') continue
    if (arg === '-H') {
      const [name = '', ...value] = (args[++i] ?? '').split(':')
      headers[name.trim()] = value.join(':').trim()
    } else if (arg === '-d') {
      body = args[++i]
    } else if (!arg.startsWith('-') && url === undefined) {
      url = arg
    } else {
      throw new Error(`curl option the test does not know: ${arg}`)
    }
  }
  if (url === undefined || body === undefined) throw new Error(`curl command without a URL or a body: ${command}`)
  return { url, headers, body }
}

const blocks = firstCallBlocks()
const curls = blocks.filter((block) => block.language === 'sh').map((block) => curlRequest(block.text))
const shownRefusal = blocks.find((block) => block.language === 'text')?.text

const fake = await startFakeBedrock()
t.teardown(() => fake.close())
const shipped = readFileSync(SHIPPED_CONFIG_PATH, 'utf8')
  .replace('listen: { host: 127.0.0.1, port: 8080 }', 'listen: { host: 127.0.0.1, port: 0 }')
  .replace('admin: { host: 127.0.0.1, port: 9090 }', 'admin: { host: 127.0.0.1, port: 0 }')
  .replace('"https://bedrock-runtime.{region}.amazonaws.com"', `"${fake.url}"`) + `\n${inProcessLimitsYaml()}\n`
const config = await loadConfig(writeConfig(t, shipped), {})
const gateway = await startGateway(config, { credentialProvider: async () => FAKE_UPSTREAM_CREDENTIALS, logger: pino({ level: 'silent' }) })
t.teardown(() => gateway.shutdown())

async function send (request: CurlRequest): Promise<{ status: number, text: string }> {
  if (!request.url.startsWith(`${SHIPPED_ORIGIN}/`)) throw new Error(`${request.url} is not the shipped gateway's address`)
  const response = await fetch(gateway.url + request.url.slice(SHIPPED_ORIGIN.length), { method: 'POST', headers: request.headers, body: request.body })
  return { status: response.status, text: await response.text() }
}

t.test('the test changed only the upstream, the ports and shedding of the shipped config', async (t) => {
  t.equal(config.upstream.endpoint, fake.url)
  t.equal(config.limits.maxEventLoopDelayMs, 0)
  t.equal(config.clients.length, 0, 'no clients: a local caller needs no key')
})

t.test('the README shows an allowed call, a refused one and the refusal', async (t) => {
  t.equal(curls.length, 2)
  t.type(shownRefusal, 'string')
})

t.test('the allowed call reaches Bedrock in its region and gets its Converse answer', async (t) => {
  const answer = await send(curls[0] as CurlRequest)
  t.equal(answer.status, 200, answer.text)
  t.equal(fake.requests.length, 1)
  t.match(fake.requests[0], { region: 'us-east-1', operation: 'Converse' })
  t.match(JSON.parse(answer.text), { output: { message: { role: 'assistant' } } })
})

t.test('the refused call is answered with the README\'s refusal and never reaches Bedrock', async (t) => {
  const before = fake.requests.length
  const answer = await send(curls[1] as CurlRequest)
  t.equal(answer.status, 403)
  t.equal(`${answer.text}\n`, shownRefusal)
  t.equal(fake.requests.length, before)
})
