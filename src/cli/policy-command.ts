import { Option, type Command } from 'commander'
import { gatewayPolicy, identityPolicy, renderPolicy, serviceControlPolicy } from '../policy/index.ts'
import { type CliIo, EXIT_CODES, type ExitCode } from './cli-io.ts'
import { loadCommandConfig, withConfigOption, type ConfigOption } from './command-options.ts'

const POLICY_FORMATS = {
  iam: identityPolicy,
  scp: serviceControlPolicy
} as const

type PolicyFormat = keyof typeof POLICY_FORMATS

/** Whose policy: the principals calling Bedrock (the allowlist as IAM), or the gateway's own role. */
const POLICY_SUBJECTS = ['callers', 'gateway'] as const
type PolicySubject = (typeof POLICY_SUBJECTS)[number]
const DEFAULT_SUBJECT: PolicySubject = 'callers'
const GATEWAY_FORMAT: PolicyFormat = 'iam'

interface PolicyOptions extends ConfigOption {
  readonly format: PolicyFormat
  readonly for: PolicySubject
}

async function runPolicy (options: PolicyOptions, io: CliIo, command: Command): Promise<ExitCode> {
  if (options.for === 'gateway' && options.format !== GATEWAY_FORMAT) {
    command.error(`error: --for gateway prints the gateway role's identity policy; --format ${options.format} does not apply`)
  }
  const { config } = await loadCommandConfig(options, io)
  const document = options.for === 'gateway' ? gatewayPolicy(config) : POLICY_FORMATS[options.format](config)
  io.stdout(renderPolicy(document))
  return EXIT_CODES.ok
}

export function registerPolicyCommand (program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  const command = withConfigOption(program.command('policy'))
  command
    .description('print the IAM identity policy (or the SCP) that matches the allowlist, or the gateway role\'s policy')
    .addOption(new Option('--format <format>', 'iam: identity policy; scp: organisation guard (Deny)')
      .choices(Object.keys(POLICY_FORMATS)).default('iam'))
    .addOption(new Option('--for <subject>', 'callers: the allowlist as IAM; gateway: what the gateway\'s own role needs')
      .choices(POLICY_SUBJECTS).default(DEFAULT_SUBJECT))
    .action(async (options: PolicyOptions) => { finish(await runPolicy(options, io, command)) })
}
