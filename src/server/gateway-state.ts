import { indexClients } from '../auth/client-index.ts'
import type { ClientKeyIndex } from '../auth/types.ts'
import type { GeofenceConfig } from '../config/types.ts'
import { configuredCatalog, type RoutingCatalog } from '../config/routing-catalog.ts'

/** One loaded config and what is derived from it, swapped as a whole on reload. */
export interface GatewayState {
  readonly config: GeofenceConfig
  readonly clientKeys: ClientKeyIndex
  readonly catalog: RoutingCatalog
  /** The configured client names: the metrics' bounded set of client labels. */
  readonly clientNames: ReadonlySet<string>
}

/** The catalog is `routing.catalogFile`'s when the config names one, so `check`, `explain` and the gateway agree. */
export function buildGatewayState (config: GeofenceConfig, catalog: RoutingCatalog = configuredCatalog(config)): GatewayState {
  return { config, clientKeys: indexClients(config.clients), catalog, clientNames: new Set(config.clients.map(({ name }) => name)) }
}
