import type { GeofenceConfig } from '../config/index.ts'
import { type AgentControlPlaneClient, type ControlPlaneClient, createAgentControlPlaneClient, createControlPlaneClient } from '../routing/index.ts'
import { defaultCredentialProvider } from '../upstream/index.ts'

/** Resolver cache lifetimes for a command: it asks its questions once and exits, so there is nothing to keep. */
export const NO_CACHING = { ttlMs: 0, negativeTtlMs: 0 }

/**
 * The Bedrock control plane as the gateway reaches it: `upstream.controlPlaneEndpoint`, the gateway's own credentials
 * (the default Node chain, and `aws.roleArn` on top when set), `routing.lookupTimeoutMs` per call. Credentials are
 * fetched on the first call, so a command that ends up asking nothing needs none. Close it when done.
 */
export function controlPlaneClientFor (config: GeofenceConfig): ControlPlaneClient {
  const provider = defaultCredentialProvider(config.aws)
  return createControlPlaneClient({
    endpointTemplate: config.upstream.controlPlaneEndpoint,
    credentials: () => provider(),
    timeoutMs: config.routing.lookupTimeoutMs
  })
}

/** The Bedrock agents control plane (`upstream.agentControlPlaneEndpoint`), reached like controlPlaneClientFor. */
export function agentControlPlaneClientFor (config: GeofenceConfig): AgentControlPlaneClient {
  const provider = defaultCredentialProvider(config.aws)
  return createAgentControlPlaneClient({
    endpointTemplate: config.upstream.agentControlPlaneEndpoint,
    credentials: () => provider(),
    timeoutMs: config.routing.lookupTimeoutMs
  })
}
