/** Where routed identifiers can run, as the Bedrock control plane reports it: client, resolver, cache. */

export { createControlPlaneClient } from './control-plane-client.ts'
export { createAgentControlPlaneClient } from './agent-control-plane-client.ts'
export { ControlPlaneError } from './control-plane-failure.ts'
export { requestRouting } from './resolve-request-routing.ts'
export { createRoutingResolver } from './routing-resolver.ts'
export { CONTROL_PLANE_FAILURE_KINDS } from './types.ts'
export type { AgentControlPlaneClient, ControlPlaneClient, ListedAlias, LookupResult, RoutingObserver, RoutingResolver } from './types.ts'
