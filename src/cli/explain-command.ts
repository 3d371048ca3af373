import type { Command } from 'commander'
import type { OperationName } from '../bedrock/index.ts'
import { type AllowList, configuredCatalog, type GeofenceConfig } from '../config/index.ts'
import { decide, factsForModel, type RequestFacts, type RequestRouting } from '../policy/index.ts'
import type { Decision } from '../core/index.ts'
import { createRoutingResolver, requestRouting } from '../routing/index.ts'
import { type CliIo, EXIT_CODES, type ExitCode, renderJson } from './cli-io.ts'
import {
  type ConfigOption,
  DEFAULT_OPERATION,
  didYouMean,
  loadCommandConfig,
  OPERATION_OPTION_DESCRIPTION,
  parseOperation,
  withConfigOption
} from './command-options.ts'
import { agentControlPlaneClientFor, controlPlaneClientFor, NO_CACHING } from './control-plane-access.ts'
import { describeRoute, routeReports, type RouteReport } from './explain-routes.ts'

const OFFLINE_ROUTING: RequestRouting = { verify: 'catalog', resolutions: new Map() }

interface ExplainOptions extends ConfigOption {
  readonly region: string
  readonly model: string
  readonly operation: OperationName
  readonly client?: string
  readonly json?: boolean
  readonly offline?: boolean
}

interface Explanation {
  readonly decision: Decision
  readonly routes: readonly RouteReport[]
}

/** A usage error reported like commander's own, so main() maps it to exit code 2. */
function allowListFor (config: GeofenceConfig, clientName: string | undefined, command: Command): AllowList {
  if (clientName === undefined) return config.allow
  const client = config.clients.find(({ name }) => name === clientName)
  if (client !== undefined) return client.allow
  const names = config.clients.map(({ name }) => name)
  return command.error(`error: no client named "${clientName}" in the config${didYouMean(clientName, names)}`)
}

/** What the gateway would ask the control plane before deciding; `--offline` asks nothing and trusts the catalog. */
async function routingFor (facts: Omit<RequestFacts, 'routing'>, allowList: AllowList, config: GeofenceConfig, offline: boolean): Promise<RequestRouting> {
  if (offline) return OFFLINE_ROUTING
  const client = controlPlaneClientFor(config)
  const agentClient = agentControlPlaneClientFor(config)
  try {
    const resolver = createRoutingResolver({ client, agentClient, ...NO_CACHING })
    return await requestRouting(resolver, facts, allowList, config.routing.verify)
  } finally {
    await Promise.all([client.close(), agentClient.close()])
  }
}

async function explainRequest (options: ExplainOptions, allowList: AllowList, config: GeofenceConfig): Promise<Explanation> {
  const understood = factsForModel(options.operation, options.region, options.model)
  if (!understood.ok) return { decision: understood.decision, routes: [] }
  const catalog = configuredCatalog(config)
  const facts = { ...understood.facts, routing: await routingFor(understood.facts, allowList, config, options.offline === true) }
  return {
    decision: decide(facts, allowList, catalog),
    routes: routeReports(facts, { allowList, catalog, verify: config.routing.verify })
  }
}

function render (options: ExplainOptions, { decision, routes }: Explanation): string {
  const verdict = decision.allowed ? 'allowed' : 'denied'
  if (options.json === true) {
    return renderJson({
      decision: verdict,
      allowed: decision.allowed,
      reason: decision.reason,
      message: decision.message,
      region: options.region,
      operation: options.operation,
      model: options.model,
      ...(options.client === undefined ? {} : { client: options.client }),
      routes
    })
  }
  const routeLines = routes.map((report) => `routes:   ${describeRoute(report)}\n`).join('')
  return `decision: ${verdict}\nreason:   ${decision.reason}\nmessage:  ${decision.message}\n${routeLines}`
}

async function runExplain (options: ExplainOptions, io: CliIo, command: Command): Promise<ExitCode> {
  const { config } = await loadCommandConfig(options, io)
  const explanation = await explainRequest(options, allowListFor(config, options.client, command), config)
  io.stdout(render(options, explanation))
  return explanation.decision.allowed ? EXIT_CODES.ok : EXIT_CODES.findingsOrDenied
}

export function registerExplainCommand (program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  const command = withConfigOption(program.command('explain'))
  command
    .description('decide one request the way the gateway would, and say why and where it can run (exit 0 allowed, 1 denied)')
    .requiredOption('--region <region>', 'the region the request is sent to')
    .requiredOption('--model <id>', 'model id, inference-profile id or ARN, as an SDK passes it (not URL-encoded); for ' +
      'InvokeAgent AGENTID/ALIASID or the alias ARN, for InvokeFlow FLOWID/ALIASID or the alias ARN, for Retrieve the knowledge base')
    .option('--operation <name>', OPERATION_OPTION_DESCRIPTION, parseOperation, DEFAULT_OPERATION)
    .option('--client <name>', 'decide with this client\'s narrowed allowlist')
    .option('--offline', 'ask the Bedrock control plane nothing: system profiles by the routing catalog only, and ' +
      'application profiles and prompt routers unresolved')
    .option('--json', 'print the decision as JSON')
    .action(async (options: ExplainOptions) => { finish(await runExplain(options, io, command)) })
}
