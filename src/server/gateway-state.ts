import { indexClients } from '../auth/client-index.ts'
import type { ClientKeyIndex } from '../auth/types.ts'
import type { GeofenceConfig } from '../config/types.ts'
import { SHIPPED_CATALOG, type RoutingCatalog } from '../policy/catalog.ts'

/** One loaded config and what is derived from it, swapped as a whole on reload. */
export interface GatewayState {
  readonly config: GeofenceConfig
  readonly clientKeys: ClientKeyIndex
  readonly catalog: RoutingCatalog
}

export function buildGatewayState (config: GeofenceConfig, catalog: RoutingCatalog = SHIPPED_CATALOG): GatewayState {
  return { config, clientKeys: indexClients(config.clients), catalog }
}
