import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Logger } from 'pino'
import { issueBearerKey, issueSigV4Key, type IssuedBearerKey, type IssuedSigV4Key } from '../auth/index.ts'
import { DEFAULT_CONFIG_PATH, loadConfig } from '../config/index.ts'
import { type RunningGateway, startGateway } from '../server/index.ts'
import { type BedrockSimulator, startBedrockSimulator } from './simulator.ts'

export interface DemoOptions {
  /** The Bedrock listener's port on 127.0.0.1 (0: any free one). */
  readonly port: number
  readonly adminPort: number
  readonly logger?: Logger
}

export interface RunningDemo {
  readonly gateway: RunningGateway
  readonly simulator: BedrockSimulator
  readonly bearer: IssuedBearerKey
  readonly sigv4: IssuedSigV4Key
  /** Everything the demo tells its user: the banner, the keys, and calls to paste. */
  readonly instructions: string
  close (): Promise<void>
}

const DEMO_SECRET_VARIABLE = 'BEDROCK_GEOFENCE_DEMO_SECRET'
/** The simulator checks no signature, but the gateway signs anyway: these stand in for AWS keys and open nothing. */
const SIMULATED_AWS_CREDENTIALS = { accessKeyId: 'ASIASIMULATEDDEMOKEY', secretAccessKey: 'simulated-demo-secret-opens-nothing' }
export const DEMO_REGION = 'us-east-1'
export const ALLOWED_MODEL = 'us.amazon.nova-lite-v1:0'
export const REFUSED_REGION = 'eu-west-2'
export const REFUSED_MODEL = 'eu.amazon.nova-lite-v1:0'
const PROMPT = 'Say hello'

/**
 * The shipped allowlist, unchanged, in front of the simulator, with two demo clients: a bearer key (for curl) and a
 * SigV4 pair (for the SDKs and LiteLLM). Written to a private temporary file, as `serve` would read one.
 */
async function demoConfigFile (directory: string, simulatorUrl: string, options: DemoOptions, bearer: IssuedBearerKey, sigv4: IssuedSigV4Key): Promise<string> {
  const shipped = await loadConfig(DEFAULT_CONFIG_PATH, {})
  const path = join(directory, 'demo.yaml')
  await writeFile(path, JSON.stringify({
    allow: { regions: shipped.allow.regions, inferenceProfilePrefixes: shipped.allow.inferenceProfilePrefixes, operations: shipped.allow.operations },
    policy: shipped.policy,
    listen: { host: '127.0.0.1', port: options.port },
    admin: { host: '127.0.0.1', port: options.adminPort },
    // Every upstream the gateway could reach is the simulator, so a trial never leaves the machine.
    upstream: {
      endpoint: simulatorUrl,
      controlPlaneEndpoint: simulatorUrl,
      mantleEndpoint: simulatorUrl,
      agentRuntimeEndpoint: simulatorUrl,
      agentControlPlaneEndpoint: simulatorUrl,
      simulator: true
    },
    clients: [
      { name: 'demo-curl', apiKeySha256: bearer.apiKeySha256, defaultRegion: DEMO_REGION },
      { name: 'demo-sdk', accessKeyId: sigv4.accessKeyId, secretAccessKey: `\${env:${DEMO_SECRET_VARIABLE}}` }
    ]
  }, null, 2), { mode: 0o600 })
  return path
}

function converseBody (): string {
  return JSON.stringify({ messages: [{ role: 'user', content: [{ text: PROMPT }] }] })
}

/** What the demo prints: loud about the simulator, then one allowed and one refused call for each kind of client. */
export function demoInstructions (url: string, adminUrl: string, bearer: IssuedBearerKey, sigv4: IssuedSigV4Key): string {
  const curl = (region: string, model: string): string =>
    `curl -sS ${url}/${region}/model/${model}/converse -H 'Authorization: Bearer ${bearer.apiKey}' -H 'Content-Type: application/json' -d '${converseBody()}'`
  const boto3 = (region: string, model: string): string => [
    'import boto3',
    `client = boto3.client('bedrock-runtime', region_name='${region}', endpoint_url='${url}', aws_access_key_id='${sigv4.accessKeyId}', aws_secret_access_key='${sigv4.secretAccessKey}')`,
    `print(client.converse(modelId='${model}', messages=[{'role': 'user', 'content': [{'text': '${PROMPT}'}]}])['output']['message']['content'][0]['text'])`
  ].join('\n')
  const litellm = (region: string, model: string): string => [
    'import litellm',
    `print(litellm.completion(model='bedrock/${model}', messages=[{'role': 'user', 'content': '${PROMPT}'}], aws_bedrock_runtime_endpoint='${url}', aws_region_name='${region}', aws_access_key_id='${sigv4.accessKeyId}', aws_secret_access_key='${sigv4.secretAccessKey}', num_retries=0).choices[0].message.content)`
  ].join('\n')
  const rule = '='.repeat(78)
  return [
    rule,
    'bedrock-geofence DEMO: the upstream is a built-in Bedrock SIMULATOR.',
    'No request reaches AWS; every answer is made up. Never point real callers at this gateway.',
    rule,
    '',
    `Gateway: ${url}   (readiness, metrics: ${adminUrl}/readyz, ${adminUrl}/metrics)`,
    'Allowlist: the shipped config/geofence.yaml. Keys for this run only:',
    `  bearer key (client demo-curl): ${bearer.apiKey}`,
    `  SigV4 pair (client demo-sdk):  ${sigv4.accessKeyId} / ${sigv4.secretAccessKey}`,
    '',
    `# Allowed: a us. profile called from ${DEMO_REGION}`,
    curl(DEMO_REGION, ALLOWED_MODEL),
    '',
    `# Refused with 403 PROFILE_PREFIX_NOT_ALLOWED: an eu. profile from ${REFUSED_REGION} can run outside the allowed regions`,
    curl(REFUSED_REGION, REFUSED_MODEL),
    '',
    '# boto3, allowed:',
    boto3(DEMO_REGION, ALLOWED_MODEL),
    '',
    '# boto3, refused (raises botocore AccessDeniedException):',
    boto3(REFUSED_REGION, REFUSED_MODEL),
    '',
    '# LiteLLM, allowed:',
    litellm(DEMO_REGION, ALLOWED_MODEL),
    '',
    '# LiteLLM, refused (raises litellm.PermissionDeniedError):',
    litellm(REFUSED_REGION, REFUSED_MODEL),
    '',
    'Ctrl-C stops the demo. For the real thing: docs/configuration.md, then npx bedrock-geofence serve.',
    ''
  ].join('\n')
}

/** The simulator, then the gateway on the shipped allowlist in front of it, with keys issued for this run. */
export async function startDemo (options: DemoOptions): Promise<RunningDemo> {
  const bearer = issueBearerKey()
  const sigv4 = issueSigV4Key()
  const simulator = await startBedrockSimulator()
  const directory = await mkdtemp(join(tmpdir(), 'bedrock-geofence-demo-'))
  try {
    const config = await loadConfig(await demoConfigFile(directory, simulator.url, options, bearer, sigv4),
      { [DEMO_SECRET_VARIABLE]: sigv4.secretAccessKey })
    const gateway = await startGateway(config, { credentialProvider: async () => SIMULATED_AWS_CREDENTIALS, logger: options.logger })
    return {
      gateway,
      simulator,
      bearer,
      sigv4,
      instructions: demoInstructions(gateway.url, gateway.adminUrl, bearer, sigv4),
      async close () {
        await gateway.shutdown()
        await simulator.close()
      }
    }
  } catch (error) {
    await simulator.close()
    throw error
  } finally {
    // The config holds no secret (only its reference), but nothing of a demo is left behind.
    await rm(directory, { recursive: true, force: true })
  }
}
