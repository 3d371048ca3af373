import type { Command } from 'commander'
import { configPath } from '../config/index.ts'
import { type CliIo, EXIT_CODES, type ExitCode } from './cli-io.ts'
import { withConfigOption, type ConfigOption } from './command-options.ts'
import { warnStaleAcknowledgements } from './check-command.ts'

async function runServe (options: ConfigOption, io: CliIo): Promise<ExitCode> {
  const path = configPath(options.config, io.env)
  // Loaded on demand: the other commands never pay for the server's dependencies.
  const { loadServableConfig, serve, UnacknowledgedFindingsError } = await import('../server/index.ts')
  let config
  try {
    config = await loadServableConfig(path, io.env)
  } catch (error) {
    if (!(error instanceof UnacknowledgedFindingsError)) throw error
    for (const { id, message } of error.findings) io.stderr(`${path}: not acknowledged: ${id}: ${message}\n`)
    io.stderr('serve: refusing to start; fix the allowlist, or accept each finding under acknowledge: ' +
      'with its id and a reason\n')
    return EXIT_CODES.findingsOrDenied
  }
  warnStaleAcknowledgements(config, io)
  await serve(config, path, io.env)
  return EXIT_CODES.ok
}

export function registerServeCommand (program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  withConfigOption(program.command('serve'))
    .description('run the gateway (refuses to start on findings the config does not acknowledge)')
    .action(async (options: ConfigOption) => { finish(await runServe(options, io)) })
}
