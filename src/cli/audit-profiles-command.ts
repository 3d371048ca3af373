import { writeFile } from 'node:fs/promises'
import type { Command } from 'commander'
import { type OperationName, parseArn } from '../bedrock/index.ts'
import { configuredCatalog, type GeofenceConfig } from '../config/index.ts'
import {
  auditProfiles,
  catalogFromAudit,
  type CatalogOrigin,
  type ListedProfile,
  type ProfileAudit
} from '../policy/index.ts'
import { ControlPlaneError } from '../routing/index.ts'
import { renderAuditJson, renderAuditText } from './audit-profiles-report.ts'
import { type CliIo, EXIT_CODES, type ExitCode, renderJson } from './cli-io.ts'
import {
  type ConfigOption,
  DEFAULT_OPERATION,
  loadCommandConfig,
  OPERATION_OPTION_DESCRIPTION,
  parseOperation,
  withConfigOption
} from './command-options.ts'
import { controlPlaneClientFor } from './control-plane-access.ts'
import { listAccountProfiles } from './list-account-profiles.ts'

const COMMAND_NAME = 'audit-profiles'
const UNKNOWN_ACCOUNT = 'unknown-account'
/** `YYYY-MM-DD` out of an ISO timestamp. */
const DATE_LENGTH = 10

interface AuditOptions extends ConfigOption {
  readonly operation: OperationName
  readonly json?: boolean
  readonly writeCatalog?: string
}

/** `audit-profiles <account>/<region,...> <date>`: whose answers, from where, when. */
function catalogOrigin (listed: readonly ListedProfile[], regions: readonly string[], date: string): CatalogOrigin {
  const accounts = new Set(listed.flatMap(({ profile }) => {
    const parsed = parseArn(profile.inferenceProfileArn)
    return parsed.ok && parsed.arn.account !== '' ? [parsed.arn.account] : []
  }))
  const account = accounts.size === 0 ? UNKNOWN_ACCOUNT : [...accounts].sort().join('+')
  return { date, source: `${COMMAND_NAME} ${account}/${regions.join(',')} ${date}` }
}

async function listOrReport (config: GeofenceConfig, io: CliIo): Promise<ListedProfile[] | undefined> {
  const client = controlPlaneClientFor(config)
  try {
    return await listAccountProfiles(client, config.allow.regions)
  } catch (error) {
    if (!(error instanceof ControlPlaneError)) throw error
    io.stderr(`${COMMAND_NAME}: ${error.message}\n`)
    return undefined
  } finally {
    await client.close()
  }
}

async function writeCatalog (path: string, listed: readonly ListedProfile[], audit: ProfileAudit,
  regions: readonly string[], io: CliIo): Promise<boolean> {
  const date = new Date().toISOString().slice(0, DATE_LENGTH)
  const catalog = catalogFromAudit(audit.profiles, catalogOrigin(listed, regions, date))
  try {
    await writeFile(path, renderJson(catalog))
  } catch (error) {
    io.stderr(`${COMMAND_NAME}: cannot write the routing catalog to ${path} (${(error as NodeJS.ErrnoException).code ?? 'write failed'})\n`)
    return false
  }
  io.stderr(`${COMMAND_NAME}: wrote a routing catalog of ${Object.keys(catalog.prefixes).length} prefixes to ${path}\n`)
  return true
}

async function runAudit (options: AuditOptions, io: CliIo): Promise<ExitCode> {
  const { config } = await loadCommandConfig(options, io)
  const regions = config.allow.regions
  const listed = await listOrReport(config, io)
  if (listed === undefined) return EXIT_CODES.usageOrConfigError
  const audit = auditProfiles(listed, {
    allowList: config.allow,
    catalog: configuredCatalog(config),
    verify: config.routing.verify,
    operation: options.operation
  })
  if (options.writeCatalog !== undefined && !await writeCatalog(options.writeCatalog, listed, audit, regions, io)) {
    return EXIT_CODES.usageOrConfigError
  }
  io.stdout(options.json === true ? renderAuditJson(audit, regions, options.operation) : renderAuditText(audit, regions))
  return audit.findings.length === 0 ? EXIT_CODES.ok : EXIT_CODES.findingsOrDenied
}

export function registerAuditProfilesCommand (program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  withConfigOption(program.command(COMMAND_NAME))
    .description('list every inference profile AWS reports in each allowed region, where it runs and whether the ' +
      'gateway allows it (exit 1 when one the allowlist admits by name can run outside allow.regions)')
    .option('--operation <name>', OPERATION_OPTION_DESCRIPTION, parseOperation, DEFAULT_OPERATION)
    .option('--json', 'print the audit as JSON')
    .option('--write-catalog <file>', 'also write a routing catalog of the system profiles seen, for routing.catalogFile')
    .action(async (options: AuditOptions) => { finish(await runAudit(options, io)) })
}
