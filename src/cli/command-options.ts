import { type Command, InvalidArgumentError } from 'commander'
import {
  closestMatch,
  CONFIG_PATH_ENV,
  configPath,
  DEFAULT_CONFIG_PATH,
  type GeofenceConfig,
  loadConfig
} from '../config/index.ts'
import type { CliIo } from './cli-io.ts'
import { isOperationName, OPERATION_NAMES, type OperationName } from '../bedrock/index.ts'

export interface ConfigOption { readonly config?: string }

export interface LoadedConfig {
  readonly path: string
  readonly config: GeofenceConfig
}

/** Every command reads the same allowlist file, chosen the same way. */
export function withConfigOption (command: Command): Command {
  return command.option('--config <file>', `config file (default: $${CONFIG_PATH_ENV}, else ${DEFAULT_CONFIG_PATH})`)
}

/** Throws the loader's ConfigError, which main() prints and turns into exit code 2. */
export async function loadCommandConfig (options: ConfigOption, io: CliIo): Promise<LoadedConfig> {
  const path = configPath(options.config, io.env)
  return { path, config: await loadConfig(path, io.env) }
}

/** What `explain` and `audit-profiles` decide for when no `--operation` is given. */
export const DEFAULT_OPERATION: OperationName = 'InvokeModel'
export const OPERATION_OPTION_DESCRIPTION = 'Bedrock operation to decide for (bedrock-runtime or bedrock-agent-runtime)'

/** ` (did you mean X?)` when something in `candidates` is close to `value`, else nothing. */
export function didYouMean (value: string, candidates: readonly string[]): string {
  const guess = closestMatch(value, candidates)
  return guess === undefined ? '' : ` (did you mean ${guess}?)`
}

/** Commander's parser for `--operation`: a usage error (exit 2) with a suggestion for anything not an operation. */
export function parseOperation (value: string): OperationName {
  if (isOperationName(value)) return value
  throw new InvalidArgumentError(`"${value}" is not a Bedrock operation the gateway knows${didYouMean(value, OPERATION_NAMES)}`)
}
