import type { Command } from 'commander'
import type { NamedIdentifier, OperationName } from '../bedrock/index.ts'
import { configuredCatalog, type GeofenceConfig } from '../config/index.ts'
import { decide, type RoutingResolution } from '../policy/index.ts'
import type { Decision } from '../core/index.ts'
import { type AgentControlPlaneClient, ControlPlaneError, createRoutingResolver, type ListedAlias } from '../routing/index.ts'
import { type CliIo, EXIT_CODES, type ExitCode, regionList, renderJson, renderTable } from './cli-io.ts'
import { type ConfigOption, loadCommandConfig, withConfigOption } from './command-options.ts'
import { agentControlPlaneClientFor, controlPlaneClientFor, NO_CACHING } from './control-plane-access.ts'

const COMMAND_NAME = 'audit-agents'
const HEADINGS = ['REGION', 'KIND', 'ALIAS', 'NAME', 'RUNS IN', 'GATEWAY'] as const

interface AuditAgentsOptions extends ConfigOption {
  readonly json?: boolean
}

interface AuditedAlias {
  readonly region: string
  readonly alias: ListedAlias
  /** The resource part of the alias's ARN, as the gateway names an alias a request gives by id. */
  readonly identifier: string
  readonly routing: RoutingResolution
  readonly decision: Decision
}

/** How the gateway names an alias a request gives by id (agent-runtime-identifiers.ts). */
function identifierOf (alias: ListedAlias): string {
  return alias.kind === 'agent' ? `agent-alias/${alias.parentId}/${alias.aliasId}` : `flow/${alias.parentId}/alias/${alias.aliasId}`
}

/** What the gateway would decide for InvokeAgent / InvokeFlow on the alias, with AWS's answer in hand. */
function decisionFor (config: GeofenceConfig, region: string, alias: ListedAlias, routing: RoutingResolution): Decision {
  const operation: OperationName = alias.kind === 'agent' ? 'InvokeAgent' : 'InvokeFlow'
  const identifier = identifierOf(alias)
  const named: NamedIdentifier = {
    location: alias.kind === 'agent' ? 'path.agentAliasId' : 'path.flowAliasIdentifier',
    id: { kind: 'regional-id', text: identifier, resourceType: alias.kind === 'agent' ? 'agent-alias' : 'flow-alias', resourceId: identifier.slice(identifier.indexOf('/') + 1) }
  }
  const resolutions = new Map([[identifier, routing]])
  return decide({ operation, region, identifiers: [named], routing: { verify: config.routing.verify, resolutions } }, config.allow, configuredCatalog(config))
}

async function auditRegion (config: GeofenceConfig, agentClient: AgentControlPlaneClient, resolve: (region: string, identifier: string) => Promise<RoutingResolution>,
  region: string): Promise<AuditedAlias[]> {
  const aliases = [...await agentClient.listAgentAliases(region), ...await agentClient.listFlowAliases(region)]
  return await Promise.all(aliases.map(async (alias) => {
    const identifier = identifierOf(alias)
    const routing = await resolve(region, identifier)
    return { region, alias, identifier, routing, decision: decisionFor(config, region, alias, routing) }
  }))
}

function renderText (audited: readonly AuditedAlias[]): string {
  const rows = audited.map(({ region, alias, identifier, routing, decision }) => [
    region,
    alias.kind,
    identifier,
    alias.name,
    routing.verified ? regionList(routing.regions) : `unverified: ${routing.problem}`,
    decision.allowed ? 'allowed' : `denied ${decision.reason}`
  ])
  const allowed = audited.filter(({ decision }) => decision.allowed).length
  return `${renderTable([HEADINGS, ...rows])}\n${audited.length} aliases: ${allowed} allowed, ${audited.length - allowed} denied\n`
}

function renderAuditJson (audited: readonly AuditedAlias[], regions: readonly string[]): string {
  return renderJson({
    regions,
    aliases: audited.map(({ region, alias, identifier, routing, decision }) => ({
      region,
      kind: alias.kind,
      id: identifier,
      name: alias.name,
      ...(routing.verified ? { runsIn: routing.regions, routes: routing.destinations } : { runsIn: null, problem: routing.problem }),
      decision: decision.allowed ? 'allowed' : 'denied',
      reason: decision.reason,
      message: decision.message
    }))
  })
}

async function runAuditAgents (options: AuditAgentsOptions, io: CliIo): Promise<ExitCode> {
  const { config } = await loadCommandConfig(options, io)
  const client = controlPlaneClientFor(config)
  const agentClient = agentControlPlaneClientFor(config)
  const resolver = createRoutingResolver({ client, agentClient, ...NO_CACHING })
  try {
    const audited = (await Promise.all(config.allow.regions.map(async (region) =>
      await auditRegion(config, agentClient, (where, identifier) => resolver.resolve(where, identifier), region)))).flat()
    io.stdout(options.json === true ? renderAuditJson(audited, config.allow.regions) : renderText(audited))
    // An alias the allowlist lists by ARN that AWS says runs outside allow.regions is what an operator must know.
    const listedOutside = audited.filter(({ decision, routing }) => decision.allowed && routing.verified &&
      routing.regions.some((region) => !config.allow.regions.includes(region)))
    return listedOutside.length === 0 ? EXIT_CODES.ok : EXIT_CODES.findingsOrDenied
  } catch (error) {
    if (!(error instanceof ControlPlaneError)) throw error
    io.stderr(`${COMMAND_NAME}: ${error.message}\n`)
    return EXIT_CODES.usageOrConfigError
  } finally {
    await Promise.all([client.close(), agentClient.close()])
  }
}

export function registerAuditAgentsCommand (program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  withConfigOption(program.command(COMMAND_NAME))
    .description('list every agent alias and flow alias AWS reports in each allowed region, where its models run and ' +
      'whether the gateway allows it (exit 1 when one the allowlist lists by ARN can run outside allow.regions)')
    .option('--json', 'print the audit as JSON')
    .action(async (options: AuditAgentsOptions) => { finish(await runAuditAgents(options, io)) })
}
