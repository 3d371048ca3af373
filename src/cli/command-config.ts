import type { Command } from 'commander'
import { CONFIG_PATH_ENV, configPath, DEFAULT_CONFIG_PATH, type GeofenceConfig, loadConfig } from '../config/index.ts'
import type { CliIo } from './cli-io.ts'

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
