import type { AwsCredentialIdentity } from '@smithy/types'
import type { InferenceProfileDescription, InferenceProfileType, PromptRouterDescription } from '../bedrock/index.ts'
import type { RoutingResolution } from '../policy/index.ts'

// ---- control plane ----

/**
 * Why a resolution gave no usable answer. `rejected`: another 4xx (ValidationException ...); `service-error`: 5xx;
 * `too-deep`: the answers chain through more profiles and routers than the resolver follows, or loop.
 */
export const CONTROL_PLANE_FAILURE_KINDS = [
  'timeout',
  'throttled',
  'access-denied',
  'not-found',
  'rejected',
  'malformed-answer',
  'unreachable',
  'service-error',
  'no-credentials',
  'too-deep'
] as const
export type ControlPlaneFailureKind = (typeof CONTROL_PLANE_FAILURE_KINDS)[number]

export type ControlPlaneOperation = 'GetInferenceProfile' | 'GetPromptRouter' | 'ListInferenceProfiles' | AgentControlPlaneOperation

/** The bedrock-agent reads that say what an agent alias or a flow alias runs. */
export type AgentControlPlaneOperation = 'GetAgentAlias' | 'GetAgentVersion' | 'GetAgent' | 'GetFlowAlias' | 'GetFlowVersion' | 'GetFlow' |
  'ListAgents' | 'ListAgentAliases' | 'ListFlows' | 'ListFlowAliases'

/** One agent or flow alias an account has in a region, as the List calls report it. */
export interface ListedAlias {
  readonly kind: 'agent' | 'flow'
  /** The agent or flow id. */
  readonly parentId: string
  readonly aliasId: string
  /** The agent's or flow alias's name, for people. */
  readonly name: string
}

/** A model, agent alias or prompt an agent or flow version names, and where in the answer (for `via`). */
export interface AgentReference {
  readonly kind: 'version' | 'model' | 'agent-alias' | 'prompt' | 'provisioned-throughput'
  readonly value: string
  readonly field: string
}

/**
 * The Bedrock agents control plane (`bedrock-agent.{region}.amazonaws.com`, SigV4 name `bedrock`) with the gateway's
 * own credentials. Every method rejects with a ControlPlaneError and nothing else.
 */
export interface AgentControlPlaneClient {
  /** GetAgentAlias: the agent versions (or provisioned throughput) the alias routes to. */
  getAgentAlias (region: string, agentId: string, agentAliasId: string): Promise<readonly AgentReference[]>
  /** GetAgentVersion, or GetAgent for DRAFT: the models the version runs. */
  getAgentModels (region: string, agentId: string, version: string): Promise<readonly AgentReference[]>
  /** GetFlowAlias: the flow versions the alias routes to. */
  getFlowAlias (region: string, flowIdentifier: string, aliasIdentifier: string): Promise<readonly string[]>
  /** GetFlowVersion (includedData ALL_DATA), or GetFlow for DRAFT: what the definition's nodes name. */
  getFlowReferences (region: string, flowIdentifier: string, version: string): Promise<readonly AgentReference[]>
  /** ListAgents then ListAgentAliases of each, every page followed. */
  listAgentAliases (region: string): Promise<readonly ListedAlias[]>
  /** ListFlows then ListFlowAliases of each, every page followed. */
  listFlowAliases (region: string): Promise<readonly ListedAlias[]>
  close (): Promise<void>
}

/**
 * The Bedrock control plane (`bedrock.{region}.amazonaws.com`, SigV4 name `bedrock`) with the gateway's own
 * credentials. Every method rejects with a ControlPlaneError (control-plane-failure.ts) and nothing else.
 */
export interface ControlPlaneClient {
  /** GET /inference-profiles/{id or ARN}, signed for `region`. */
  getInferenceProfile (region: string, identifier: string): Promise<InferenceProfileDescription>
  /** GET /prompt-routers/{ARN}, signed for `region`. */
  getPromptRouter (region: string, promptRouterArn: string): Promise<PromptRouterDescription>
  /** GET /inference-profiles?type=TYPE (the SDKs' `typeEquals`), every page followed. */
  listInferenceProfiles (region: string, type: InferenceProfileType): Promise<readonly InferenceProfileDescription[]>
  /** Closes the client's connection pool once calls under way have finished. */
  close (): Promise<void>
}

// ---- resolver ----

/** What a lookup of the control plane ended as; the metrics label. */
export type LookupResult = 'resolved' | ControlPlaneFailureKind

/** Called by the resolver as it works; the gateway's metrics implement it. */
export interface RoutingObserver {
  /** A cache entry (positive or negative) answered without a lookup. */
  cacheHit (): void
  /** One top-level resolution that had to ask the control plane finished (all its nested calls included). */
  lookup (result: LookupResult, seconds: number): void
}

export interface RoutingResolver {
  /**
   * Where `identifier` (a profile id, profile ARN or prompt-router ARN), called in `region`, can run. Cached per
   * (region, identifier), concurrent callers share one lookup, and it never rejects: failures are UnverifiedRouting.
   */
  resolve (region: string, identifier: string): Promise<RoutingResolution>
  /** Entries currently cached (positive and negative). */
  size (): number
}

export interface ControlPlaneClientOptions {
  /** `upstream.controlPlaneEndpoint`, a template with `{region}`. */
  readonly endpointTemplate: string
  /** The gateway's own credentials (CredentialSource.get in the gateway). */
  readonly credentials: () => Promise<AwsCredentialIdentity>
  /** `routing.lookupTimeoutMs`: the whole call, connect to last byte. */
  readonly timeoutMs: number
}

export interface RoutingResolverOptions {
  readonly client: ControlPlaneClient
  /** Where agent and flow aliases are looked up; without it, every one of them fails closed. */
  readonly agentClient?: AgentControlPlaneClient
  /** `routing.cacheTtlSeconds` and `routing.negativeCacheTtlSeconds`, in milliseconds. */
  readonly ttlMs: number
  readonly negativeTtlMs: number
  /** Most entries kept; the least recently used goes first. */
  readonly maxEntries?: number
  readonly observer?: RoutingObserver
  /** Milliseconds clock; injectable for tests of expiry. Default Date.now. */
  readonly now?: () => number
}
