import type { Command } from 'commander'
import { findings, staleAcknowledgements, unacknowledged } from '../policy/index.ts'
import { type CliIo, EXIT_CODES, type ExitCode } from './cli-io.ts'
import { type ConfigOption, loadCommandConfig, withConfigOption } from './command-options.ts'
import type { GeofenceConfig } from '../config/index.ts'

async function runCheck (options: ConfigOption, io: CliIo): Promise<ExitCode> {
  const { path, config } = await loadCommandConfig(options, io)
  const found = findings(config)
  const reasons = new Map(config.acknowledge.map(({ finding, reason }) => [finding, reason]))
  for (const { id, message } of found) {
    const reason = reasons.get(id)
    io.stdout(`${id}: ${message}${reason === undefined ? '' : ` (acknowledged: ${reason})`}\n`)
  }
  warnStaleAcknowledgements(config, io)
  if (found.length === 0) io.stdout(`${path}: valid, no findings\n`)
  return unacknowledged(found, config.acknowledge).length === 0 ? EXIT_CODES.ok : EXIT_CODES.findingsOrDenied
}

export function registerCheckCommand (program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  withConfigOption(program.command('check'))
    .description('validate the config and list its findings, one a line (exit 1 on any not acknowledged)')
    .action(async (options: ConfigOption) => { finish(await runCheck(options, io)) })
}

/** An acknowledgement of nothing is harmless today but would silently accept the finding if it came back. */
export function warnStaleAcknowledgements (config: GeofenceConfig, io: CliIo): void {
  for (const { finding } of staleAcknowledgements(findings(config), config.acknowledge)) {
    io.stderr(`warning: acknowledge names ${JSON.stringify(finding)}, which is not a current finding\n`)
  }
}
