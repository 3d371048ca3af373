import { Command, CommanderError } from 'commander'
import { ConfigError } from '../config/index.ts'
import { registerAuditAgentsCommand } from './audit-agents-command.ts'
import { registerAuditProfilesCommand } from './audit-profiles-command.ts'
import { registerCheckCommand } from './check-command.ts'
import { registerDemoCommand } from './demo-command.ts'
import { type CliIo, EXIT_CODES, type ExitCode, processIo } from './cli-io.ts'
import { registerExplainCommand } from './explain-command.ts'
import { registerKeygenCommand } from './keygen-command.ts'
import { registerPolicyCommand } from './policy-command.ts'
import { registerReportCommand } from './report-command.ts'
import { registerServeCommand } from './serve-command.ts'

const PROGRAM_NAME = 'bedrock-geofence'

function reportConfigError (error: ConfigError, io: CliIo): void {
  for (const problem of error.problems) io.stderr(`${error.file}: ${problem}\n`)
}

/**
 * Runs one command and returns its exit code: 0 ok, 1 findings or denied, 2 usage or config error. Commander's
 * own exits (help, usage errors) are turned into return values, so nothing here ever calls process.exit.
 */
export async function main (argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exitCode: ExitCode = EXIT_CODES.ok
  const finish = (code: ExitCode): void => { exitCode = code }
  // Settings made before the commands are added are inherited by each of them.
  const program = new Command(PROGRAM_NAME)
    .description('Keeps Amazon Bedrock runtime traffic inside the regions an organisation allows.')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(add --help for usage)')
  registerServeCommand(program, io, finish)
  registerPolicyCommand(program, io, finish)
  registerCheckCommand(program, io, finish)
  registerExplainCommand(program, io, finish)
  registerKeygenCommand(program, io, finish)
  registerAuditProfilesCommand(program, io, finish)
  registerAuditAgentsCommand(program, io, finish)
  registerReportCommand(program, io, finish)
  registerDemoCommand(program, io, finish)

  try {
    await program.parseAsync([...argv], { from: 'user' })
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usageOrConfigError
    if (error instanceof ConfigError) {
      reportConfigError(error, io)
      return EXIT_CODES.usageOrConfigError
    }
    throw error
  }
  return exitCode
}
