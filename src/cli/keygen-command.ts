import { InvalidArgumentError, type Command } from 'commander'
import { stringify } from 'yaml'
import { issueBearerKey, issueSigV4Key } from '../auth/index.ts'
import { CLIENT_NAME_PATTERN } from '../config/index.ts'
import { type CliIo, EXIT_CODES, type ExitCode, renderJson } from './cli-io.ts'

const DEFAULT_CLIENT_NAME = 'litellm'
// The config schema's own pattern, so the generated snippet loads as it is printed; `u` as ajv compiles it.
const CLIENT_NAME = new RegExp(CLIENT_NAME_PATTERN, 'u')
const SECRET_VARIABLE_PREFIX = 'GEOFENCE_'
const SECRET_VARIABLE_SUFFIX = '_SECRET'
/**
 * Where the client keeps the pair: names of their own, so that they cannot be mistaken for, or mixed with, AWS
 * credentials the client may hold for other services.
 */
const CLIENT_ACCESS_KEY_ID_VARIABLE = 'GEOFENCE_ACCESS_KEY_ID'
const CLIENT_SECRET_VARIABLE = 'GEOFENCE_SECRET_ACCESS_KEY'

interface KeygenOptions {
  readonly name: string
  readonly bearer?: boolean
  readonly json?: boolean
}

/** A SigV4 key pair for one client, and where the gateway finds its secret. */
interface SigV4ClientKey {
  readonly kind: 'sigv4'
  readonly name: string
  readonly accessKeyId: string
  readonly secretAccessKey: string
  /** The environment variable the config snippet reads the secret from. */
  readonly secretVariable: string
  /** A `clients:` block with this client's entry, ready to paste into the config. */
  readonly configSnippet: string
}

/** A bearer key for one client; the config stores only its sha256. */
interface BearerClientKey {
  readonly kind: 'bearer'
  readonly name: string
  readonly apiKey: string
  readonly apiKeySha256: string
  readonly configSnippet: string
}

function parseClientName (value: string): string {
  if (CLIENT_NAME.test(value)) return value
  throw new InvalidArgumentError(`"${value}" is not a client name (letters, digits, . _ -; up to 64, starting with a letter or digit)`)
}

// yaml quotes a name that would otherwise read as a number, boolean or null, so the snippet loads as printed.
function clientsBlock (entry: Record<string, string>): string {
  return stringify({ clients: [entry] })
}

/** `litellm-eu.prod` -> `GEOFENCE_LITELLM_EU_PROD_SECRET`: a valid shell variable name for any client name. */
function secretVariableFor (clientName: string): string {
  return `${SECRET_VARIABLE_PREFIX}${clientName.toUpperCase().replace(/[^A-Z0-9]/g, '_')}${SECRET_VARIABLE_SUFFIX}`
}

function generateSigV4ClientKey (name: string): SigV4ClientKey {
  const { accessKeyId, secretAccessKey } = issueSigV4Key()
  const secretVariable = secretVariableFor(name)
  return {
    kind: 'sigv4',
    name,
    accessKeyId,
    secretAccessKey,
    secretVariable,
    configSnippet: clientsBlock({ name, accessKeyId, secretAccessKey: `\${env:${secretVariable}}` })
  }
}

function generateBearerClientKey (name: string): BearerClientKey {
  const { apiKey, apiKeySha256 } = issueBearerKey()
  return {
    kind: 'bearer',
    name,
    apiKey,
    apiKeySha256,
    configSnippet: clientsBlock({ name, apiKeySha256 })
  }
}

function renderSigV4 (key: SigV4ClientKey): string {
  return [
    '# Gateway config (when it already has a clients: list, add just the entry):',
    key.configSnippet,
    `# Secret store: the gateway reads the secret from ${key.secretVariable}.`,
    `${key.secretVariable}=${key.secretAccessKey}`,
    '',
    '# The client. LiteLLM reads the pair as aws_access_key_id: os.environ/GEOFENCE_ACCESS_KEY_ID and',
    '# aws_secret_access_key: os.environ/GEOFENCE_SECRET_ACCESS_KEY; an AWS SDK takes it as its access key id and secret.',
    `${CLIENT_ACCESS_KEY_ID_VARIABLE}=${key.accessKeyId}`,
    `${CLIENT_SECRET_VARIABLE}=${key.secretAccessKey}`,
    ''
  ].join('\n')
}

function renderBearer (key: BearerClientKey): string {
  return [
    '# Gateway config (only the key\'s sha256 is stored; add defaultRegion: REGION for callers that send no /REGION prefix):',
    key.configSnippet,
    '# The client (LiteLLM api_key, or AWS_BEARER_TOKEN_BEDROCK). It is shown once; keep it in your secret store:',
    key.apiKey,
    ''
  ].join('\n')
}

function runKeygen (options: KeygenOptions, io: CliIo): ExitCode {
  const key = options.bearer === true ? generateBearerClientKey(options.name) : generateSigV4ClientKey(options.name)
  if (options.json === true) io.stdout(renderJson(key))
  else io.stdout(key.kind === 'bearer' ? renderBearer(key) : renderSigV4(key))
  return EXIT_CODES.ok
}

export function registerKeygenCommand (program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  program.command('keygen')
    .description('generate a client key pair (or a bearer key) and print the config entry for it')
    .option('--name <name>', 'client name, as it appears in logs and metrics', parseClientName, DEFAULT_CLIENT_NAME)
    .option('--bearer', 'a bearer API key instead of a SigV4 key pair')
    .option('--json', 'print the key and the config entry as JSON')
    .action((options: KeygenOptions) => { finish(runKeygen(options, io)) })
}
