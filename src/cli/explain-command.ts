import { InvalidArgumentError, type Command } from 'commander'
import { isOperationName } from '../bedrock/is-operation-name.ts'
import { OPERATION_NAMES, type OperationName } from '../bedrock/operation-names.ts'
import { closestMatch } from '../config/closest-match.ts'
import type { AllowList, GeofenceConfig } from '../config/types.ts'
import { decide } from '../policy/engine.ts'
import { factsForModel } from '../policy/facts-for-model.ts'
import type { Decision } from '../policy/types.ts'
import type { CliIo } from './cli-io.ts'
import { loadCommandConfig, withConfigOption, type ConfigOption } from './command-config.ts'
import { EXIT_CODES, type ExitCode } from './exit-codes.ts'

const DEFAULT_OPERATION: OperationName = 'InvokeModel'
const JSON_INDENT = 2

interface ExplainOptions extends ConfigOption {
  readonly region: string
  readonly model: string
  readonly operation: OperationName
  readonly client?: string
  readonly json?: boolean
}

function didYouMean (value: string, candidates: readonly string[]): string {
  const guess = closestMatch(value, candidates)
  return guess === undefined ? '' : ` (did you mean ${guess}?)`
}

function parseOperation (value: string): OperationName {
  if (isOperationName(value)) return value
  throw new InvalidArgumentError(`"${value}" is not a bedrock-runtime operation${didYouMean(value, OPERATION_NAMES)}`)
}

/** A usage error reported like commander's own, so main() maps it to exit code 2. */
function allowListFor (config: GeofenceConfig, clientName: string | undefined, command: Command): AllowList {
  if (clientName === undefined) return config.allow
  const client = config.clients.find(({ name }) => name === clientName)
  if (client !== undefined) return client.allow
  const names = config.clients.map(({ name }) => name)
  return command.error(`error: no client named "${clientName}" in the config${didYouMean(clientName, names)}`)
}

function explainDecision (options: ExplainOptions, allowList: AllowList): Decision {
  const facts = factsForModel(options.operation, options.region, options.model)
  return facts.ok ? decide(facts.facts, allowList) : facts.decision
}

function render (options: ExplainOptions, decision: Decision): string {
  const verdict = decision.allowed ? 'allowed' : 'denied'
  if (options.json === true) {
    return `${JSON.stringify({
      decision: verdict,
      allowed: decision.allowed,
      reason: decision.reason,
      message: decision.message,
      region: options.region,
      operation: options.operation,
      model: options.model,
      ...(options.client === undefined ? {} : { client: options.client })
    }, null, JSON_INDENT)}\n`
  }
  return `decision: ${verdict}\nreason:   ${decision.reason}\nmessage:  ${decision.message}\n`
}

async function runExplain (options: ExplainOptions, io: CliIo, command: Command): Promise<ExitCode> {
  const { config } = await loadCommandConfig(options, io)
  const decision = explainDecision(options, allowListFor(config, options.client, command))
  io.stdout(render(options, decision))
  return decision.allowed ? EXIT_CODES.ok : EXIT_CODES.findingsOrDenied
}

export function registerExplainCommand (program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  const command = withConfigOption(program.command('explain'))
  command
    .description('decide one request the way the gateway would, and say why (exit 0 allowed, 1 denied)')
    .requiredOption('--region <region>', 'the region the request is sent to')
    .requiredOption('--model <id>', 'model id, inference-profile id or ARN, as an SDK passes it (not URL-encoded)')
    .option('--operation <name>', 'bedrock-runtime operation', parseOperation, DEFAULT_OPERATION)
    .option('--client <name>', 'decide with this client\'s narrowed allowlist')
    .option('--json', 'print the decision as JSON')
    .action(async (options: ExplainOptions) => { finish(await runExplain(options, io, command)) })
}
