import type { GeofenceConfig } from '../config/types.ts'
import { SHIPPED_CATALOG, type RoutingCatalog } from './catalog.ts'

/** The routing catalog the engine decides with: `routing.catalogFile`'s when the config names one, else the shipped one. */
export function configuredCatalog (config: GeofenceConfig): RoutingCatalog {
  return config.routing.catalog ?? SHIPPED_CATALOG
}
