import { isDeepStrictEqual } from 'node:util'
import type { Registry } from 'prom-client'
import type { GeofenceConfig, RoutingConfig } from '../config/index.ts'
import {
  type AgentControlPlaneClient,
  type ControlPlaneClient,
  createAgentControlPlaneClient,
  createControlPlaneClient,
  createRoutingResolver,
  type RoutingObserver,
  type RoutingResolver
} from '../routing/index.ts'
import type { CredentialSource } from '../upstream/index.ts'
import { createRoutingMetrics } from './routing-metrics.ts'
import { MS_PER_SECOND } from '../core/index.ts'

/** The gateway's routing resolver, rebuilt (with an empty cache) when a reload changes how it resolves. */
export interface RoutingService {
  resolver (): RoutingResolver
  /** The Bedrock control-plane client the resolver asks (for the startup probe). */
  controlPlane (): ControlPlaneClient
  apply (config: GeofenceConfig): void
  /** Closes the control-plane connections once lookups under way have finished. */
  close (): Promise<void>
}

/** What the resolver is built from. The verify mode is not here: it is read per request from the config in force. */
type ResolverSettings = Omit<RoutingConfig, 'verify'> & { readonly controlPlaneEndpoint: string, readonly agentControlPlaneEndpoint: string }

function settingsOf ({ routing, upstream }: GeofenceConfig): ResolverSettings {
  return {
    cacheTtlSeconds: routing.cacheTtlSeconds,
    negativeCacheTtlSeconds: routing.negativeCacheTtlSeconds,
    lookupTimeoutMs: routing.lookupTimeoutMs,
    maxCacheEntries: routing.maxCacheEntries,
    controlPlaneEndpoint: upstream.controlPlaneEndpoint,
    agentControlPlaneEndpoint: upstream.agentControlPlaneEndpoint
  }
}

/**
 * Created by `startGateway`. The control plane is reached when a request needs a lookup, and once at startup when the
 * config may need one (control-plane-probe.ts); readiness never depends on it. Lookups sign with the gateway's own
 * credentials.
 */
export function createRoutingService (config: GeofenceConfig, credentials: CredentialSource, registry: Registry): RoutingService {
  const observer: RoutingObserver = createRoutingMetrics(registry)
  let settings = settingsOf(config)
  let client: ControlPlaneClient
  let agentClient: AgentControlPlaneClient
  let resolver: RoutingResolver

  function build (): void {
    client = createControlPlaneClient({
      endpointTemplate: settings.controlPlaneEndpoint,
      credentials: () => credentials.get(),
      timeoutMs: settings.lookupTimeoutMs
    })
    agentClient = createAgentControlPlaneClient({
      endpointTemplate: settings.agentControlPlaneEndpoint,
      credentials: () => credentials.get(),
      timeoutMs: settings.lookupTimeoutMs
    })
    resolver = createRoutingResolver({
      client,
      agentClient,
      ttlMs: settings.cacheTtlSeconds * MS_PER_SECOND,
      negativeTtlMs: settings.negativeCacheTtlSeconds * MS_PER_SECOND,
      maxEntries: settings.maxCacheEntries,
      observer
    })
  }
  build()

  return {
    resolver: () => resolver,
    controlPlane: () => client,
    apply (next) {
      const nextSettings = settingsOf(next)
      if (isDeepStrictEqual(nextSettings, settings)) return
      const previous = [client, agentClient]
      settings = nextSettings
      build()
      for (const old of previous) void old.close()
    },
    close: async () => { await Promise.all([client.close(), agentClient.close()]) }
  }
}
