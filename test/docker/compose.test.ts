/**
 * The compose stack's wiring, read from the files a user runs: LiteLLM must reach Bedrock only through the gateway,
 * with the key pair the gateway issued to it, and nothing sensitive may be published or baked in.
 * (`docker-compose config` validates the syntax; scripts/container/verify.sh runs it.)
 */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { parse } from 'yaml'
import { decide } from '../../src/policy/engine.ts'
import { factsForModel } from '../../src/policy/facts-for-model.ts'
import { loadServableConfig } from '../../src/server/servable-config.ts'

const GATEWAY_SERVICE = 'bedrock-geofence'
const LITELLM_SERVICE = 'litellm'
const LOOPBACK = '127.0.0.1'
// PyPI releases of LiteLLM that shipped malware (March 2026).
const COMPROMISED_LITELLM_VERSIONS = ['1.82.7', '1.82.8']
const ENV_REFERENCE = /^os\.environ\/([A-Z0-9_]+)$/
const GATEWAY_ENV_REFERENCE = /^\$\{env:([A-Z0-9_]+)\}$/
const AWS_CREDENTIAL_VARIABLES = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']
// `bedrock/<id>`, or with LiteLLM's explicit route: `bedrock/converse/<id>`, `bedrock/invoke/<id>`.
const LITELLM_BEDROCK_MODEL = /^bedrock\/(?:converse\/|invoke\/)?(.+)$/
// What LiteLLM calls for chat completions on its default (Converse) route.
const LITELLM_CHAT_OPERATIONS = ['Converse', 'ConverseStream'] as const
const GATEWAY_CONFIG_FILE = 'deploy/geofence.container.yaml'

interface ComposeService {
  image?: string
  read_only?: boolean
  tmpfs?: string[]
  environment?: string[]
  ports?: string[]
  volumes?: string[]
  depends_on?: Record<string, { condition: string }>
  healthcheck?: { test: string[] }
  restart?: string
}
interface LiteLLMDeployment { model_name: string, litellm_params: Record<string, string> }

async function readYaml<T> (path: string): Promise<T> {
  return parse(await readFile(new URL(`../../${path}`, import.meta.url), 'utf8')) as T
}

const compose = await readYaml<{ services: Record<string, ComposeService> }>('docker-compose.yml')
const litellmConfig = await readYaml<{ model_list: LiteLLMDeployment[] }>('deploy/litellm-config.yaml')
const gatewayConfig = await readYaml<{
  listen: { host: string, port: number }
  clients: Array<{ name: string, accessKeyId: string, secretAccessKey: string }>
}>(GATEWAY_CONFIG_FILE)
const gateway = compose.services[GATEWAY_SERVICE]!
const litellm = compose.services[LITELLM_SERVICE]!

/** `NAME=value` entries of a compose environment list; a bare `NAME` (pass-through from the host) maps to undefined. */
function environmentOf (service: ComposeService): Map<string, string | undefined> {
  return new Map((service.environment ?? []).map((entry) => {
    const equals = entry.indexOf('=')
    return equals === -1 ? [entry, undefined] : [entry.slice(0, equals), entry.slice(equals + 1)]
  }))
}

t.test('every LiteLLM Bedrock deployment goes to the gateway and never straight to AWS', async (t) => {
  const gatewayEndpoint = `http://${GATEWAY_SERVICE}:${gatewayConfig.listen.port}`
  const bedrockDeployments = litellmConfig.model_list.filter((deployment) => deployment.litellm_params.model?.startsWith('bedrock/'))
  t.not(bedrockDeployments.length, 0)
  for (const { model_name: name, litellm_params: params } of bedrockDeployments) {
    t.equal(params.aws_bedrock_runtime_endpoint, gatewayEndpoint, `${name}: endpoint`)
    t.notOk('api_base' in params, `${name}: no api_base, which would win over the endpoint on the invoke route`)
  }
})

t.test('LiteLLM signs with the key pair the gateway issued to it, taken from the environment', async (t) => {
  const litellmClient = gatewayConfig.clients.find((client) => client.name === LITELLM_SERVICE)
  const gatewaySecretVariable = GATEWAY_ENV_REFERENCE.exec(litellmClient?.secretAccessKey ?? '')?.[1]
  t.ok(gatewaySecretVariable, 'the gateway reads the secret from its environment')
  const litellmEnvironment = environmentOf(litellm)
  const gatewayEnvironment = environmentOf(gateway)
  for (const { model_name: name, litellm_params: params } of litellmConfig.model_list) {
    const keyIdVariable = ENV_REFERENCE.exec(params.aws_access_key_id ?? '')?.[1]
    const secretVariable = ENV_REFERENCE.exec(params.aws_secret_access_key ?? '')?.[1]
    t.equal(keyIdVariable && litellmEnvironment.get(keyIdVariable), litellmClient?.accessKeyId, `${name}: key id`)
    t.equal(secretVariable && litellmEnvironment.get(secretVariable), gatewaySecretVariable && gatewayEnvironment.get(gatewaySecretVariable),
      `${name}: both containers get the secret from the same variable`)
  }
})

t.test("the gateway serves its container config and allows LiteLLM's models, in their regions, for LiteLLM", async (t) => {
  const secretVariable = GATEWAY_ENV_REFERENCE.exec(gatewayConfig.clients.find(({ name }) => name === LITELLM_SERVICE)?.secretAccessKey ?? '')?.[1] ?? ''
  const config = await loadServableConfig(fileURLToPath(new URL(`../../${GATEWAY_CONFIG_FILE}`, import.meta.url)), { [secretVariable]: 'test-only-secret-for-the-compose-check-0123' })
  const litellmAllowList = config.clients.find(({ name }) => name === LITELLM_SERVICE)?.allow
  t.ok(litellmAllowList, 'a client named litellm')
  for (const { model_name: name, litellm_params: params } of litellmConfig.model_list) {
    const modelId = LITELLM_BEDROCK_MODEL.exec(params.model ?? '')?.[1] ?? ''
    for (const operation of LITELLM_CHAT_OPERATIONS) {
      const facts = factsForModel(operation, params.aws_region_name ?? '', modelId)
      const decision = facts.ok && litellmAllowList !== undefined ? decide(facts.facts, litellmAllowList) : undefined
      t.equal(decision?.allowed, true, `${name}: ${operation} of ${modelId} in ${params.aws_region_name}`)
    }
  }
})

t.test('LiteLLM is pinned to an exact, known-good release', async (t) => {
  const tag = litellm.image?.split(':').at(-1) ?? ''
  t.match(tag, /^v?\d+\.\d+\.\d+/, 'an exact version, not a moving tag')
  t.notOk(COMPROMISED_LITELLM_VERSIONS.some((version) => tag.replace(/^v/, '').startsWith(version)), tag)
})

t.test('LiteLLM starts only once the gateway is healthy', async (t) => {
  t.same(litellm.depends_on, { [GATEWAY_SERVICE]: { condition: 'service_healthy' } })
  t.ok(gateway.healthcheck?.test.some((part) => part.includes('/readyz')), 'the gateway is healthy when ready')
})

t.test('every published port is bound to the loopback address only', async (t) => {
  for (const [name, service] of Object.entries(compose.services)) {
    for (const port of service.ports ?? []) t.ok(port.startsWith(`${LOOPBACK}:`), `${name}: ${port}`)
  }
})

t.test('the gateway gets AWS credentials only by pass-through from the host, never as values in the file', async (t) => {
  const environment = environmentOf(gateway)
  for (const variable of AWS_CREDENTIAL_VARIABLES) {
    t.ok(environment.has(variable), `${variable} passed through`)
    t.equal(environment.get(variable), undefined, `${variable} has no value here`)
  }
})

t.test('the gateway runs with a read-only root filesystem and a tmpfs on /tmp, restarting unless stopped', async (t) => {
  t.equal(gateway.read_only, true)
  t.same(gateway.tmpfs, ['/tmp'])
  t.equal(gateway.restart, 'unless-stopped')
  t.equal(litellm.restart, 'unless-stopped')
})
