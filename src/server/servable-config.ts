import { ConfigError, type GeofenceConfig, loadConfig, type RoutingCatalog } from '../config/index.ts'
import { type Finding, findings, unacknowledged } from '../policy/index.ts'

/** The config is valid, but `check` reports findings it does not acknowledge: the gateway must not run on it. */
export class UnacknowledgedFindingsError extends Error {
  readonly file: string
  readonly findings: readonly Finding[]

  constructor (file: string, outstanding: readonly Finding[]) {
    super(`${file}: findings not acknowledged in config: ${outstanding.map(({ id }) => id).join(', ')}`)
    this.name = 'UnacknowledgedFindingsError'
    this.file = file
    this.findings = outstanding
  }
}

/**
 * A config the gateway may serve: valid, and every finding explicitly acknowledged. Used at start-up and for every
 * reload, so a reload cannot bring in what start-up would refuse.
 */
export async function loadServableConfig (
  path: string,
  env: NodeJS.ProcessEnv = process.env,
  catalog?: RoutingCatalog
): Promise<GeofenceConfig> {
  const config = await loadConfig(path, env)
  if (config.upstream.simulator) {
    throw new ConfigError(path, ['upstream.simulator: the Bedrock simulator is for trials only, started by ' +
      '`npx bedrock-geofence demo`; a gateway that serves callers forwards to Bedrock itself'])
  }
  const outstanding = unacknowledged(findings(config, catalog), config.acknowledge)
  if (outstanding.length > 0) throw new UnacknowledgedFindingsError(path, outstanding)
  return config
}
