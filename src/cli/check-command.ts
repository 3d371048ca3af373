import type { Command } from 'commander'
import { findings, staleAcknowledgements, unacknowledged } from '../policy/index.ts'
import { type CliIo, EXIT_CODES, type ExitCode } from './cli-io.ts'
import { type ConfigOption, loadCommandConfig, withConfigOption } from './command-options.ts'
import { GLOBAL_WINDOW, type GeofenceConfig, monitorEndMs, openMonitorWindows } from '../config/index.ts'

async function runCheck (options: ConfigOption, io: CliIo): Promise<ExitCode> {
  const { path, config } = await loadCommandConfig(options, io)
  const found = findings(config)
  const reasons = new Map(config.acknowledge.map(({ finding, reason }) => [finding, reason]))
  for (const { id, message } of found) {
    const reason = reasons.get(id)
    io.stdout(`${id}: ${message}${reason === undefined ? '' : ` (acknowledged: ${reason})`}\n`)
  }
  warnStaleAcknowledgements(config, io)
  warnMonitorMode(config, io, Date.now())
  if (found.length === 0) io.stdout(`${path}: valid, no findings\n`)
  return unacknowledged(found, config.acknowledge).length === 0 ? EXIT_CODES.ok : EXIT_CODES.findingsOrDenied
}

export function registerCheckCommand (program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  withConfigOption(program.command('check'))
    .description('validate the config and list its findings, one a line (exit 1 on any not acknowledged)')
    .action(async (options: ConfigOption) => { finish(await runCheck(options, io)) })
}

/**
 * Monitor mode is a choice with an end date, not a finding: it does not fail the check, but `check` never lets it
 * pass unmentioned, and says when a setting has ended and only clutters the config.
 */
export function warnMonitorMode (config: GeofenceConfig, io: CliIo, nowMs: number): void {
  for (const { subject, endMs } of openMonitorWindows(config, nowMs)) {
    const who = subject === GLOBAL_WINDOW ? 'every client without its own enforcement' : `client ${subject}`
    io.stderr(`warning: monitor mode for ${who} until ${new Date(endMs).toISOString()}: allowlist refusals are forwarded to Bedrock and logged as would_deny\n`)
  }
  const ended = [{ where: 'enforcement', setting: config.enforcement }, ...config.clients.map((client) => ({ where: `client ${client.name}`, setting: client.enforcement }))]
  for (const { where, setting } of ended) {
    const endMs = monitorEndMs(setting)
    if (endMs !== undefined && endMs <= nowMs) io.stderr(`note: monitor mode of ${where} ended ${setting?.until ?? ''}; the gateway enforces, and the setting can go\n`)
  }
}

/** An acknowledgement of nothing is harmless today but would silently accept the finding if it came back. */
export function warnStaleAcknowledgements (config: GeofenceConfig, io: CliIo): void {
  for (const { finding } of staleAcknowledgements(findings(config), config.acknowledge)) {
    io.stderr(`warning: acknowledge names ${JSON.stringify(finding)}, which is not a current finding\n`)
  }
}
