import { createHash } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { pino } from 'pino'
import type { Test } from 'tap'
import { loadConfig } from '../../src/config/load-config.ts'
import type { GeofenceConfig } from '../../src/config/types.ts'
import { AUDIT_MESSAGE } from '../../src/server/audit-log.ts'
import { startGateway, type RunningGateway } from '../../src/server/serve.ts'
import {
  FAKE_UPSTREAM_CREDENTIALS,
  startFakeBedrock,
  startFakeAgentControlPlane,
  startFakeControlPlane,
  type FakeAgentControlPlane,
  type FakeAgentControlPlaneOptions,
  type FakeBedrock,
  type FakeBedrockOptions,
  type FakeControlPlane,
  type FakeControlPlaneOptions
} from './fake-bedrock/index.ts'
import { writeConfig } from './config-file.ts'

/** The key pair the test config issues to its SigV4 client (what LiteLLM would be configured with). */
export const SIGV4_CLIENT = {
  name: 'litellm',
  accessKeyId: 'GEOFENCETESTCLIENT01',
  secretAccessKey: 'gateway-issued-secret-for-tests-only'
} as const

/** A client narrowed to eu-west-2 without cross-region inference. */
export const NARROW_CLIENT = {
  name: 'london-only',
  accessKeyId: 'GEOFENCETESTLONDON01',
  secretAccessKey: 'gateway-issued-london-secret-for-tests'
} as const

export const BEARER_CLIENT = { name: 'batch-tool', apiKey: 'bearer-key-for-tests-only-0123456789' } as const

const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex')

/**
 * The seed allowlist with three clients; secrets come in through ${env:...} as the config requires. The control
 * plane defaults to the runtime fake (which answers its paths as unknown operations), so no test ever reaches AWS.
 */
export function testConfigYaml (upstreamUrl: string, extra = '', controlPlaneUrl = upstreamUrl, agentControlPlaneUrl = controlPlaneUrl,
  extraOperations: readonly string[] = [], extraAllowYaml = ''): string {
  return `
allow:
  regions: [us-east-1, us-east-2, us-west-1, us-west-2, ca-central-1, ca-west-1, eu-west-2, ap-southeast-2, ap-southeast-4]
  inferenceProfilePrefixes: [us]
  operations: [InvokeModel, InvokeModelWithResponseStream, Converse, ConverseStream, CountTokens, ApplyGuardrail, StartAsyncInvoke, GetAsyncInvoke, ListAsyncInvokes${extraOperations.map((name) => `, ${name}`).join('')}]${extraAllowYaml === '' ? '' : `\n  ${extraAllowYaml}`}
listen: { host: 127.0.0.1, port: 0 }
admin: { host: 127.0.0.1, port: 0 }
upstream:
  endpoint: "${upstreamUrl}"
  controlPlaneEndpoint: "${controlPlaneUrl}"
  agentRuntimeEndpoint: "${upstreamUrl}"
  agentControlPlaneEndpoint: "${agentControlPlaneUrl}"
clients:
  - name: ${SIGV4_CLIENT.name}
    accessKeyId: ${SIGV4_CLIENT.accessKeyId}
    secretAccessKey: \${env:TEST_SIGV4_SECRET}
  - name: ${NARROW_CLIENT.name}
    accessKeyId: ${NARROW_CLIENT.accessKeyId}
    secretAccessKey: \${env:TEST_NARROW_SECRET}
    allow: { regions: [eu-west-2], inferenceProfilePrefixes: [] }
  - name: ${BEARER_CLIENT.name}
    apiKeySha256: ${sha256Hex(BEARER_CLIENT.apiKey)}
    defaultRegion: us-east-1
${extra}`
}

export const TEST_ENV = { TEST_SIGV4_SECRET: SIGV4_CLIENT.secretAccessKey, TEST_NARROW_SECRET: NARROW_CLIENT.secretAccessKey }

export interface GatewayHarness {
  readonly fake: FakeBedrock
  readonly gateway: RunningGateway
  readonly config: GeofenceConfig
  readonly configPath: string
  readonly logLines: string[]
  /** Present when the options asked for one. */
  readonly controlPlane?: FakeControlPlane
  /** Present when the options asked for one. */
  readonly agentControlPlane?: FakeAgentControlPlane
}

export interface GatewayHarnessOptions {
  readonly fake?: FakeBedrockOptions
  readonly extraYaml?: string
  /** Starts a fake control plane with these fixtures and points `upstream.controlPlaneEndpoint` at it. */
  readonly controlPlane?: FakeControlPlaneOptions
  /** Sends runtime calls here instead of to the fake Bedrock (a scripted upstream, e.g. a recording one). */
  readonly upstreamEndpoint?: string
  /** Starts a fake agents control plane with these fixtures and points `upstream.agentControlPlaneEndpoint` at it. */
  readonly agentControlPlane?: FakeAgentControlPlaneOptions
  /** Operations allowed besides the harness's usual ones (e.g. the agent-runtime ones). */
  readonly extraOperations?: readonly string[]
  /** One more line of the `allow` section, e.g. `agentAliases: [ARN]`. */
  readonly extraAllowYaml?: string
  /** The environment the gateway reads its OTEL_* tracing variables from; none by default. */
  readonly gatewayEnv?: NodeJS.ProcessEnv
}

/** A fake Bedrock (and, if asked, a fake control plane) and a gateway in front of it, all on loopback, torn down when the test ends. */
export async function startGatewayHarness (t: Test, options: GatewayHarnessOptions = {}): Promise<GatewayHarness> {
  const fake = await startFakeBedrock(options.fake)
  t.teardown(() => fake.close())
  const controlPlane = options.controlPlane === undefined ? undefined : await startFakeControlPlane(options.controlPlane)
  if (controlPlane !== undefined) t.teardown(() => controlPlane.close())
  const agentControlPlane = options.agentControlPlane === undefined ? undefined : await startFakeAgentControlPlane(options.agentControlPlane)
  if (agentControlPlane !== undefined) t.teardown(() => agentControlPlane.close())
  const configPath = writeConfig(t, testConfigYaml(options.upstreamEndpoint ?? fake.url, options.extraYaml, controlPlane?.url ?? fake.url,
    agentControlPlane?.url ?? controlPlane?.url ?? fake.url, options.extraOperations, options.extraAllowYaml))
  const config = await loadConfig(configPath, TEST_ENV)
  const logLines: string[] = []
  const logger = pino({ level: 'info' }, { write: (line: string) => { logLines.push(line) } })
  const gateway = await startGateway(config, { credentialProvider: async () => FAKE_UPSTREAM_CREDENTIALS, logger, env: options.gatewayEnv ?? {} })
  t.teardown(() => gateway.shutdown())
  return {
    fake,
    gateway,
    config,
    configPath,
    logLines,
    ...(controlPlane === undefined ? {} : { controlPlane }),
    ...(agentControlPlane === undefined ? {} : { agentControlPlane })
  }
}

const AUDIT_POLL_MS = 10
const AUDIT_WAIT_LIMIT_MS = 2000

/** The log lines a harness's gateway has written so far, parsed. */
export function parsedLogLines (harness: Pick<GatewayHarness, 'logLines'>): Array<Record<string, unknown>> {
  return harness.logLines.map((line) => JSON.parse(line) as Record<string, unknown>)
}

/** The audit lines a harness's gateway has written so far, parsed. */
export function auditLines (harness: Pick<GatewayHarness, 'logLines'>): Array<Record<string, unknown>> {
  return parsedLogLines(harness).filter((line) => line.msg === AUDIT_MESSAGE)
}

/**
 * The audit lines after the first `skip`, once there are `count` of them: a request's line is written when its
 * handler finishes, which can be a moment after its caller saw it end.
 */
export async function waitForAuditLines (harness: Pick<GatewayHarness, 'logLines'>, skip: number, count: number): Promise<Array<Record<string, unknown>>> {
  const deadline = Date.now() + AUDIT_WAIT_LIMIT_MS
  for (;;) {
    const lines = auditLines(harness).slice(skip)
    if (lines.length >= count || Date.now() > deadline) return lines
    await sleep(AUDIT_POLL_MS)
  }
}
