import { createHash } from 'node:crypto'
import { pino } from 'pino'
import type { Test } from 'tap'
import { loadConfig } from '../../src/config/load-config.ts'
import type { GeofenceConfig } from '../../src/config/types.ts'
import { startGateway, type RunningGateway } from '../../src/server/serve.ts'
import {
  FAKE_UPSTREAM_CREDENTIALS,
  startFakeBedrock,
  startFakeControlPlane,
  startFakeMantle,
  type FakeBedrock,
  type FakeControlPlane,
  type FakeControlPlaneOptions,
  type FakeHttpService,
  type FakeMantleOptions
} from './fake-bedrock/index.ts'
import { writeConfig } from './config-file.ts'
import { BEARER_CLIENT, SIGV4_CLIENT, TEST_ENV } from './gateway-harness.ts'

/** The model ids the door tests use. */
export const DOOR_MODELS = {
  /** In-region on bedrock-runtime: a foundation model the OpenAI paths serve. */
  gptOss: 'openai.gpt-oss-20b-1:0',
  usGpt: 'us.openai.gpt-5.6-sol',
  globalGpt: 'global.openai.gpt-5.6-sol',
  euGpt: 'eu.openai.gpt-5.6-sol',
  /** Listed in allow.mantleModels (and acknowledged). */
  mantleClaude: 'anthropic.claude-opus-4-8',
  mantleGpt: 'openai.gpt-oss-120b',
  /** Not listed: mantle calls naming it are refused. */
  unlistedMantle: 'anthropic.claude-sonnet-4-6'
} as const

/** Every operation of the runtime's OpenAI paths and of bedrock-mantle, with what LiteLLM's token counting needs. */
const DOOR_OPERATIONS = ['Converse', 'ConverseStream', 'CountTokens', 'OpenAIChatCompletions', 'OpenAIResponses', 'MantleChatCompletions',
  'MantleOpenAIChatCompletions', 'MantleResponses', 'MantleOpenAIResponses', 'MantleMessages', 'MantleCountTokens']

const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex')

export interface DoorsHarnessOptions {
  readonly mantle?: FakeMantleOptions
  /** `routing.verify`; `catalog` unless given. */
  readonly verify?: 'catalog' | 'live'
  readonly controlPlane?: FakeControlPlaneOptions
  readonly mantleSigningName?: 'bedrock-mantle' | 'bedrock'
  readonly limitsYaml?: string
}

export interface DoorsHarness {
  readonly runtime: FakeBedrock
  readonly mantle: FakeHttpService
  readonly gateway: RunningGateway
  readonly config: GeofenceConfig
  readonly controlPlane?: FakeControlPlane
}

/** The allowlist the door tests run against: us-east-1, us-east-2, us-west-2 and eu-west-2, `us` profiles only. */
export function doorsConfigYaml (runtimeUrl: string, mantleUrl: string, controlPlaneUrl: string, options: DoorsHarnessOptions = {}): string {
  return `
allow:
  regions: [us-east-1, us-east-2, us-west-2, eu-west-2]
  inferenceProfilePrefixes: [us]
  operations: [${DOOR_OPERATIONS.join(', ')}]
  mantleModels: [${DOOR_MODELS.mantleClaude}, ${DOOR_MODELS.mantleGpt}]
acknowledge:
  - finding: mantle-model-routing-undocumented:${DOOR_MODELS.mantleClaude}
    reason: tests
  - finding: mantle-model-routing-undocumented:${DOOR_MODELS.mantleGpt}
    reason: tests
listen: { host: 127.0.0.1, port: 0 }
admin: { host: 127.0.0.1, port: 0 }
upstream:
  endpoint: "${runtimeUrl}"
  mantleEndpoint: "${mantleUrl}"
  mantleSigningName: ${options.mantleSigningName ?? 'bedrock-mantle'}
  controlPlaneEndpoint: "${controlPlaneUrl}"
routing: { verify: ${options.verify ?? 'catalog'} }
${options.limitsYaml ?? ''}
clients:
  - name: ${SIGV4_CLIENT.name}
    accessKeyId: ${SIGV4_CLIENT.accessKeyId}
    secretAccessKey: \${env:TEST_SIGV4_SECRET}
  - name: ${BEARER_CLIENT.name}
    apiKeySha256: ${sha256Hex(BEARER_CLIENT.apiKey)}
    defaultRegion: us-east-1
`
}

/** A fake bedrock-runtime, a fake bedrock-mantle and a gateway in front of both, on loopback, torn down with the test. */
export async function startDoorsHarness (t: Test, options: DoorsHarnessOptions = {}): Promise<DoorsHarness> {
  const runtime = await startFakeBedrock()
  t.teardown(() => runtime.close())
  const mantle = await startFakeMantle({ signingService: options.mantleSigningName ?? 'bedrock-mantle', ...options.mantle })
  t.teardown(() => mantle.close())
  const controlPlane = options.controlPlane === undefined ? undefined : await startFakeControlPlane(options.controlPlane)
  if (controlPlane !== undefined) t.teardown(() => controlPlane.close())
  const config = await loadConfig(writeConfig(t, doorsConfigYaml(runtime.url, mantle.url, controlPlane?.url ?? runtime.url, options)), TEST_ENV)
  const gateway = await startGateway(config, { credentialProvider: async () => FAKE_UPSTREAM_CREDENTIALS, logger: pino({ level: 'silent' }) })
  t.teardown(() => gateway.shutdown())
  return { runtime, mantle, gateway, config, ...(controlPlane === undefined ? {} : { controlPlane }) }
}
