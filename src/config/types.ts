import type { OperationName } from '../bedrock/index.ts'
import type { RoutingCatalog } from './routing-catalog.ts'

/** What may be called, and from where. The same shape serves the global allowlist and a client's narrowing. */
export interface AllowList {
  readonly regions: readonly string[]
  /** Exact, case-sensitive system inference-profile prefixes (`us`, `eu`, `global` ...). Empty: no cross-region inference. */
  readonly inferenceProfilePrefixes: readonly string[]
  readonly operations: readonly OperationName[]
  /** ARN partitions accepted in model ids (`aws` unless configured). */
  readonly partitions: readonly string[]
  /**
   * Resources that can route beyond their own region unseen, allowed only when listed by full ARN: prompts (`prompt`)
   * and Bedrock Marketplace endpoints (SageMaker `endpoint` ARNs). Application profiles and prompt routers, which the
   * gateway resolves, are listed under their own keys below instead.
   */
  readonly routedResources: readonly string[]
  /**
   * Application inference profiles. Absent (hand-built allowlists): only the ARNs in `routedResources`, unresolved. The config loader always fills it in.
   */
  readonly applicationInferenceProfiles?: RoutedResourceRule
  /** Custom and default prompt routers; absent as for applicationInferenceProfiles. */
  readonly promptRouters?: RoutedResourceRule
  /**
   * bedrock-mantle model ids (as its bodies name them) the operator allows although AWS does not document where
   * mantle runs them; each is a `check` finding to acknowledge. Absent or empty: every mantle call is refused.
   */
  readonly mantleModels?: readonly string[]
  /** Agent aliases (InvokeAgent, inline-agent collaborators): the model of the agent version behind each. Absent: none. */
  readonly agentAliases?: RoutedResourceRule
  /** Flow aliases (InvokeFlow): the models of the flow version's nodes. Absent: none. */
  readonly flowAliases?: RoutedResourceRule
}

/**
 * What the config file says for a kind of routed resource: `resolve` (ask AWS where each one runs), `deny`, or a
 * list of full ARNs allowed without asking.
 */
export type RoutedResourceSetting = 'resolve' | 'deny' | readonly string[]

/**
 * A routed-resource setting after narrowing, in a form where narrowing is an intersection:
 * `resolve` is `{ resolve: true }`, a list is `{ only: list, resolve: false }`, `deny` is `{ only: [], resolve: false }`,
 * and a client's list under a global `resolve` is `{ only: list, resolve: true }`.
 */
export interface RoutedResourceRule {
  /** Only these full ARNs; absent: any ARN of the kind. */
  readonly only?: readonly string[]
  /** Allowed only when every region AWS reports it can run in is allowed. Never false without `only`. */
  readonly resolve: boolean
}

/** `routing.verify`: `catalog` trusts the shipped catalog for system profiles; `live` also asks AWS about them. */
export type RoutingVerifyMode = 'catalog' | 'live'

/** `routing`: how routed identifiers are resolved against the Bedrock control plane. */
export interface RoutingConfig {
  /** `catalog`: system profiles are checked against the shipped catalog; `live`: also against what AWS reports. */
  readonly verify: RoutingVerifyMode
  readonly cacheTtlSeconds: number
  /** How long a failed lookup is remembered (and refused without asking again). */
  readonly negativeCacheTtlSeconds: number
  /** One control-plane call, connect to last byte. */
  readonly lookupTimeoutMs: number
  readonly maxCacheEntries: number
  /** `routing.catalogFile` as written: a routing catalog in the shipped format (`audit-profiles --write-catalog`). */
  readonly catalogFile?: string
  /** That file's catalog, read and validated when the config is loaded; absent: the engine uses the shipped one. */
  readonly catalog?: RoutingCatalog
}

export interface ListenConfig {
  readonly host: string
  readonly port: number
  /** PEM text, already read from the `${file:...}` references in the config file. */
  readonly tls?: { readonly cert: string; readonly key: string }
}

/**
 * `enforcement`, globally or for one client: `enforce` refuses what the allowlist refuses; `monitor` forwards it
 * anyway, logged and counted as `would_deny`, until `until` and never after it.
 */
export interface EnforcementConfig {
  readonly mode: 'enforce' | 'monitor'
  /** When monitor mode ends: an ISO 8601 instant in UTC, such as `2027-01-15T00:00:00Z`. Required with `monitor`. */
  readonly until?: string
}

export interface ClientCommon {
  readonly name: string
  /** This client's enforcement, instead of the global one; absent: the global one applies. */
  readonly enforcement?: EnforcementConfig
  /** Narrows the global allowlist; resolved at load time to the intersection, so it can never widen it. */
  readonly allow: AllowList
  /** Region used by a bearer client whose path carries no region prefix. */
  readonly defaultRegion?: string
}

export interface SigV4Client extends ClientCommon {
  readonly kind: 'sigv4'
  readonly accessKeyId: string
  readonly secretAccessKey: string
}

export interface BearerClient extends ClientCommon {
  readonly kind: 'bearer'
  /** Lower-case hex sha256 of the bearer key; the key itself is never stored. */
  readonly apiKeySha256: string
}

export type ClientConfig = SigV4Client | BearerClient

export interface UpstreamConfig {
  /** Template with `{region}`, e.g. `https://bedrock-runtime.{region}.amazonaws.com`. */
  readonly endpoint: string
  /** Template with `{region}` for bedrock-mantle, e.g. `https://bedrock-mantle.{region}.api.aws`. */
  readonly mantleEndpoint: string
  /** The SigV4 signing name the gateway signs bedrock-mantle requests with: `bedrock-mantle` or `bedrock`. */
  readonly mantleSigningName: string
  /** Template with `{region}` for knowledge bases, agents and flows, e.g. `https://bedrock-agent-runtime.{region}.amazonaws.com`. */
  readonly agentRuntimeEndpoint: string
  readonly connectTimeoutMs: number
  readonly headersTimeoutMs: number
  /** Longest silence allowed between two body chunks (stream events) from upstream. */
  readonly bodyIdleTimeoutMs: number
}

/** The `upstream` section: the runtime forwarder's settings plus where the control plane is. */
export interface UpstreamSection extends UpstreamConfig {
  /** Template with `{region}` for GetInferenceProfile and GetPromptRouter, e.g. `https://bedrock.{region}.amazonaws.com`. */
  readonly controlPlaneEndpoint: string
  /** Template with `{region}` for GetAgentAlias, GetFlowAlias and their versions, e.g. `https://bedrock-agent.{region}.amazonaws.com`. */
  readonly agentControlPlaneEndpoint: string
  /**
   * The upstream is the built-in Bedrock simulator of `demo`, not Bedrock. Only `demo` sets it; `serve` refuses a
   * config that does, so a trial setting can never end up in front of real callers.
   */
  readonly simulator: boolean
}

export interface AwsCredentialsConfig {
  readonly roleArn?: string
  readonly externalId?: string
  readonly sessionName: string
  /** Refresh temporary credentials this long before they expire. */
  readonly refreshBeforeExpirySeconds: number
}

export interface LimitsConfig {
  readonly maxBodyBytes: number
  /** Request-body bytes being read or held, over all callers, beyond which new bodies are refused with 503. */
  readonly maxBodyBytesInFlight: number
  /** The same bound for one client (all unauthenticated callers share one, when the config lists no clients). */
  readonly maxBodyBytesInFlightPerClient: number
  readonly clockSkewSeconds: number
  /** A caller that takes longer than this to send its whole request is cut off. */
  readonly requestTimeoutMs: number
  readonly maxConcurrentStreams: number
  /** Bidirectional streams (InvokeModelWithBidirectionalStream) in flight, counted apart from the other streams. */
  readonly maxConcurrentBidirectionalStreams: number
  /** A bidirectional stream on which nothing moved either way for this long is ended. */
  readonly bidirectionalIdleTimeoutMs: number
  /** A bidirectional stream is ended this long after it started: at most Bedrock's own 8 minutes. */
  readonly bidirectionalMaxDurationMs: number
  /** Mean event-loop delay beyond which new requests are shed with 503; 0 turns the check off. */
  readonly maxEventLoopDelayMs: number
}

/** A finding from `check` that the operator has accepted on purpose, with a reason. */
export interface Acknowledgement {
  readonly finding: string
  readonly reason: string
}

/** The config after validation and secret resolution: everything has its default filled in. */
export interface GeofenceConfig {
  readonly allow: AllowList
  readonly policy: { readonly sid: string }
  readonly listen: ListenConfig
  readonly admin: ListenConfig
  readonly upstream: UpstreamSection
  readonly aws: AwsCredentialsConfig
  readonly limits: LimitsConfig
  readonly routing: RoutingConfig
  readonly clients: readonly ClientConfig[]
  readonly acknowledge: readonly Acknowledgement[]
  readonly enforcement: EnforcementConfig
  readonly log: { readonly level: string; readonly pretty: boolean }
  readonly shutdown: { readonly graceSeconds: number }
}
