import { type ClientKeyIndex, indexClients } from '../auth/index.ts'
import { configuredCatalog, type GeofenceConfig, type RoutingCatalog } from '../config/index.ts'
import { ANONYMOUS_CALLER } from './identify-caller.ts'
import { monitorEnds } from './monitor-mode.ts'

/** One loaded config and what is derived from it, swapped as a whole on reload. */
export interface GatewayState {
  readonly config: GeofenceConfig
  readonly clientKeys: ClientKeyIndex
  readonly catalog: RoutingCatalog
  /** The configured client names: the metrics' bounded set of client labels. */
  readonly clientNames: ReadonlySet<string>
  /** When monitor mode ends for each caller in monitor mode, in epoch ms (monitor-mode.ts). */
  readonly monitorEnds: ReadonlyMap<string, number>
}

/** The catalog is `routing.catalogFile`'s when the config names one, so `check`, `explain` and the gateway agree. */
export function buildGatewayState (config: GeofenceConfig, catalog: RoutingCatalog = configuredCatalog(config)): GatewayState {
  return {
    config,
    clientKeys: indexClients(config.clients),
    catalog,
    clientNames: new Set(config.clients.map(({ name }) => name)),
    monitorEnds: monitorEnds(config, ANONYMOUS_CALLER)
  }
}
