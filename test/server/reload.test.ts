/**
 * Config reloads on the real `bedrock-geofence serve` process (a file change, SIGHUP) and in-process (what a reload
 * does to requests under way, and what it refuses to change live).
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { dirname, join } from 'node:path'
import t from 'tap'
import type { Test } from 'tap'
import { ConverseCommand, ConverseStreamCommand, type BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime'
import { loadConfig } from '../../src/config/load-config.ts'
import { RestartRequiredError } from '../../src/server/restart-only-settings.ts'
import { DEFAULT_REPLY_TEXT, signedHeaders, startFakeBedrock, type FakeBedrock } from '../support/fake-bedrock/index.ts'
import { gatewayClient, inProcessLimitsYaml } from '../support/gateway-clients.ts'
import { SIGV4_CLIENT, TEST_ENV, startGatewayHarness, testConfigYaml } from '../support/gateway-harness.ts'
import { startGatewayProcess, type GatewayProcess, type LogLine } from '../support/gateway-process.ts'
import { parseExposition, valueOf } from '../support/prometheus-text.ts'

/** A US cross-region profile: allowed by the test config, refused once `us` is taken off the prefixes. */
const US_PROFILE = 'us.anthropic.claude-3-5-sonnet-20241022-v2:0'
const IN_REGION_MODEL = 'anthropic.claude-3-haiku-20240307-v1:0'
const MESSAGES = [{ role: 'user' as const, content: [{ text: 'hello' }] }]
const RELOADED = 'config reloaded'
const RELOAD_REFUSED = 'config reload refused; the previous config keeps serving'
const SLOW_FRAME_DELAY_MS = 100
/** Ample for loopback headers to be read and screened; were it not, the request would be screened under the new config and refused all the same. */
const HEADERS_SCREENED_MS = 200

/** The test config with cross-region inference taken away: the one change every test here makes. */
function narrowed (yaml: string): string {
  const narrower = yaml.replace('inferenceProfilePrefixes: [us]', 'inferenceProfilePrefixes: []')
  if (narrower === yaml) throw new Error('the test config no longer allows the us prefix')
  return narrower
}

/** What the SDK reports for a Converse call: `ok`, or the error's name and the reason code in its message. */
async function converseOutcome (client: BedrockRuntimeClient, modelId: string): Promise<string> {
  try {
    await client.send(new ConverseCommand({ modelId, messages: MESSAGES }))
    return 'ok'
  } catch (error) {
    const { name, message } = error as Error
    return `${name}: ${message.split(':')[1]?.trim() ?? ''}`
  }
}

async function reloadCount (gateway: GatewayProcess, result: 'success' | 'failure'): Promise<number | undefined> {
  const text = await (await fetch(`${gateway.adminUrl}/metrics`)).text()
  return valueOf(parseExposition(text), 'bedrock_geofence_config_reloads_total', { result })
}

const isLog = (message: string) => (line: LogLine): boolean => line.msg === message

async function fakeUpstream (t: Test, options: { frameDelayMs?: number } = {}): Promise<FakeBedrock> {
  const fake = await startFakeBedrock(options)
  t.teardown(() => fake.close())
  return fake
}

t.test('the real process: a file change that narrows the allowlist refuses a model that was allowed, without a restart', async (t) => {
  const fake = await fakeUpstream(t)
  const yaml = testConfigYaml(fake.url)
  const path = join(t.testdir(), 'geofence.yaml')
  writeFileSync(path, yaml)
  const gateway = await startGatewayProcess(t, path)
  const client = gatewayClient(t, 'HTTP/1.1 (NodeHttpHandler)', gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
  t.equal(await converseOutcome(client, US_PROFILE), 'ok', 'allowed before the change')

  writeFileSync(path, narrowed(yaml))
  await gateway.waitForLog(isLog(RELOADED))
  t.equal(await converseOutcome(client, US_PROFILE), 'AccessDeniedException: PROFILE_PREFIX_NOT_ALLOWED', 'refused after it')
  t.equal(await converseOutcome(client, IN_REGION_MODEL), 'ok', 'what the new config allows still goes through')
  t.equal(await reloadCount(gateway, 'success'), 1)
  t.equal(gateway.child.exitCode, null, 'the same process served both')
  t.equal(fake.requests.filter((request) => request.operation === 'Converse').length, 2, 'the refused call never reached Bedrock')
})

t.test('the real process: SIGHUP reloads a file whose change no directory watch could see', async (t) => {
  const fake = await fakeUpstream(t)
  const yaml = testConfigYaml(fake.url)
  // The config path is a symlink into another directory, and only the target changes: the reloader watches the
  // symlink's directory, which sees no event, so only the signal can bring the change in.
  const root = t.testdir()
  mkdirSync(join(root, 'watched'))
  mkdirSync(join(root, 'data'))
  const target = join(root, 'data', 'geofence.yaml')
  const path = join(root, 'watched', 'geofence.yaml')
  writeFileSync(target, yaml)
  symlinkSync(target, path)
  const gateway = await startGatewayProcess(t, path)
  const client = gatewayClient(t, 'HTTP/1.1 (NodeHttpHandler)', gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })

  writeFileSync(target, narrowed(yaml))
  t.equal(await converseOutcome(client, US_PROFILE), 'ok', 'a changed file alone changes nothing here')
  gateway.kill('SIGHUP')
  await gateway.waitForLog(isLog(RELOADED))
  t.equal(await converseOutcome(client, US_PROFILE), 'AccessDeniedException: PROFILE_PREFIX_NOT_ALLOWED')
  t.equal(await reloadCount(gateway, 'success'), 1)
  t.equal(gateway.child.exitCode, null, 'SIGHUP did not stop the process')
})

t.test('the real process: an invalid file is refused with a log line and a metric, and the old config keeps serving', async (t) => {
  const fake = await fakeUpstream(t)
  const path = join(t.testdir(), 'geofence.yaml')
  writeFileSync(path, testConfigYaml(fake.url))
  const gateway = await startGatewayProcess(t, path)
  const client = gatewayClient(t, 'HTTP/1.1 (NodeHttpHandler)', gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
  t.equal(await reloadCount(gateway, 'failure'), 0)

  writeFileSync(path, 'allow: { regions: [us-east-1, mars-north-1] }\n')
  const refusal = await gateway.waitForLog(isLog(RELOAD_REFUSED))
  t.equal(refusal.level, 'error')
  t.match(JSON.stringify(refusal.err), 'mars-north-1', 'the log line says what is wrong with the file')
  t.equal(await reloadCount(gateway, 'failure'), 1)
  t.equal(await reloadCount(gateway, 'success'), 0)
  t.equal(await converseOutcome(client, US_PROFILE), 'ok', 'the old allowlist still applies')
  t.equal((await fetch(`${gateway.adminUrl}/readyz`)).status, 200, 'and the gateway stays ready: it still serves a valid config')
})

t.test('a stream under way finishes under the config it started with; the next request gets the new one', async (t) => {
  const { gateway, configPath } = await startGatewayHarness(t, { fake: { frameDelayMs: SLOW_FRAME_DELAY_MS }, extraYaml: inProcessLimitsYaml() })
  const client = gatewayClient(t, 'HTTP/1.1 (NodeHttpHandler)', gateway.url, { region: 'us-east-1', credentials: SIGV4_CLIENT })
  const reply = await client.send(new ConverseStreamCommand({ modelId: US_PROFILE, messages: MESSAGES }))
  const iterator = reply.stream?.[Symbol.asyncIterator]()
  if (iterator === undefined) throw new Error('no stream')
  await iterator.next()

  const narrowPath = join(dirname(configPath), 'narrow.yaml')
  writeFileSync(narrowPath, narrowed(readFileSync(configPath, 'utf8')))
  gateway.apply(await loadConfig(narrowPath, TEST_ENV))
  t.equal(await converseOutcome(client, US_PROFILE), 'AccessDeniedException: PROFILE_PREFIX_NOT_ALLOWED', 'a new request is refused')

  let text = ''
  for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
    text += next.value.contentBlockDelta?.delta?.text ?? ''
  }
  t.ok(text.length > 0 && DEFAULT_REPLY_TEXT.endsWith(text), 'the stream that started before the reload ran to its end')
})

t.test('a request whose body was still arriving when a reload came is judged whole under the new config', async (t) => {
  const { gateway, configPath, fake } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
  const body = JSON.stringify({ messages: MESSAGES })
  const path = `/model/${encodeURIComponent(US_PROFILE)}/converse`
  const headers = await signedHeaders(gateway.url, { method: 'POST', path, region: 'us-east-1', credentials: SIGV4_CLIENT, headers: { 'content-type': 'application/json' }, body })
  const url = new URL(gateway.url)
  const answered = new Promise<{ status: number, errorType: string | undefined }>((resolve, reject) => {
    const request = httpRequest({ host: url.hostname, port: url.port, method: 'POST', path, headers: { ...headers, 'content-length': String(body.length) }, agent: false }, (response) => {
      response.resume()
      response.on('end', () => resolve({ status: response.statusCode ?? 0, errorType: response.headers['x-amzn-errortype'] as string | undefined }))
    })
    request.on('error', reject)
    request.write(body.slice(0, 10))
    // The headers were screened under the first config by now; the rest of the body comes after the reload.
    setTimeout(() => {
      const narrowPath = join(dirname(configPath), 'narrow.yaml')
      writeFileSync(narrowPath, narrowed(readFileSync(configPath, 'utf8')))
      loadConfig(narrowPath, TEST_ENV).then((narrow) => {
        gateway.apply(narrow)
        request.end(body.slice(10))
      }, reject)
    }, HEADERS_SCREENED_MS)
  })
  const { status, errorType } = await answered
  t.equal(status, 403)
  t.match(errorType, /^AccessDeniedException/)
  t.equal(fake.requests.length, 0, 'nothing reached Bedrock')
})

t.test('a reload that changes a setting fixed at start-up is refused whole, and nothing changes', async (t) => {
  const { gateway, config } = await startGatewayHarness(t, { extraYaml: inProcessLimitsYaml() })
  const moved = { ...config, listen: { ...config.listen, host: '0.0.0.0' }, clients: [] }
  t.throws(() => gateway.apply(moved), RestartRequiredError)
  t.throws(() => gateway.apply(moved), /listen/, 'the error names the setting')
  t.equal(gateway.state().config, config, 'the config in force is the old one, clients included')
})
