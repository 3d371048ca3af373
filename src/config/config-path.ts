export const DEFAULT_CONFIG_PATH = 'config/geofence.yaml'
export const CONFIG_PATH_ENV = 'GEOFENCE_CONFIG'

/** `--config` wins, then `$GEOFENCE_CONFIG`, then the shipped default (relative to the working directory). */
export function configPath (option: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env[CONFIG_PATH_ENV]
  return option ?? (fromEnv === undefined || fromEnv === '' ? DEFAULT_CONFIG_PATH : fromEnv)
}
