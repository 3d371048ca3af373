import { Option, type Command } from 'commander'
import { identityPolicy } from '../policy/iam-policy.ts'
import { renderPolicy } from '../policy/policy-document.ts'
import { serviceControlPolicy } from '../policy/scp-policy.ts'
import type { CliIo } from './cli-io.ts'
import { loadCommandConfig, withConfigOption, type ConfigOption } from './command-config.ts'
import { EXIT_CODES, type ExitCode } from './exit-codes.ts'

const POLICY_FORMATS = {
  iam: identityPolicy,
  scp: serviceControlPolicy
} as const

type PolicyFormat = keyof typeof POLICY_FORMATS

interface PolicyOptions extends ConfigOption { readonly format: PolicyFormat }

async function runPolicy (options: PolicyOptions, io: CliIo): Promise<ExitCode> {
  const { config } = await loadCommandConfig(options, io)
  io.stdout(renderPolicy(POLICY_FORMATS[options.format](config)))
  return EXIT_CODES.ok
}

export function registerPolicyCommand (program: Command, io: CliIo, finish: (code: ExitCode) => void): void {
  withConfigOption(program.command('policy'))
    .description('print the IAM identity policy (or the SCP) that matches the allowlist')
    .addOption(new Option('--format <format>', 'iam: identity policy; scp: organisation guard (Deny)')
      .choices(Object.keys(POLICY_FORMATS)).default('iam'))
    .action(async (options: PolicyOptions) => { finish(await runPolicy(options, io)) })
}
