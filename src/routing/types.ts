import type { AwsCredentialIdentity } from '@smithy/types'

/**
 * Routing resolution (issue 6): where an application inference profile, a prompt router or (in `live` mode) a
 * system inference profile can actually run, as the Bedrock control plane reports it from the requested region.
 * The decision engine never does I/O: the gateway (or `explain`) resolves first and hands the engine the answers
 * as `RequestFacts.routing`, keyed by the identifier text the request named.
 */

/** A destination no region bounds: a region-less `arn:aws:bedrock:::foundation-model/...` (how global profiles report). */
export const ANY_REGION = '*'

/** One region a routed identifier can run in, and how the answer led there (for messages, `explain` and audit). */
export interface RoutedDestination {
  /** An AWS region, or ANY_REGION. */
  readonly region: string
  /** The chain of answers that reached this region, e.g. `fallbackModel -> inference-profile/eu.x -> models[2]`. */
  readonly via: string
}

/** AWS answered: the identifier, called in the requested region, can run in exactly these regions. */
export interface VerifiedRouting {
  readonly verified: true
  /** Every destination region, sorted and unique; ANY_REGION when one answer has no region. Never empty. */
  readonly regions: readonly string[]
  readonly destinations: readonly RoutedDestination[]
}

/** The control plane could not tell (timeout, throttling, AccessDenied, not found, malformed answer ...): fail closed. */
export interface UnverifiedRouting {
  readonly verified: false
  /** What failed, safe to show to the caller: operation, region, identifier, failure; never a URL or a credential. */
  readonly problem: string
}

export type RoutingResolution = VerifiedRouting | UnverifiedRouting

/** Identifier text (as in NamedIdentifier.id.text) -> its resolution from the request's region. */
export type RoutingFacts = ReadonlyMap<string, RoutingResolution>

/** `routing.verify`: `catalog` trusts the shipped catalog for system profiles; `live` also asks AWS about them. */
export type RoutingVerifyMode = 'catalog' | 'live'

// ---- control plane ----

export type InferenceProfileType = 'SYSTEM_DEFINED' | 'APPLICATION'

/** The part of GetInferenceProfile's answer (and of a ListInferenceProfiles summary) that routing needs. */
export interface InferenceProfileDescription {
  readonly inferenceProfileId: string
  readonly inferenceProfileArn: string
  readonly inferenceProfileName: string
  readonly type: InferenceProfileType
  readonly status: string
  /** `models[].modelArn`, in the order AWS gave them: one per destination region. Never empty. */
  readonly modelArns: readonly string[]
}

/** The part of GetPromptRouter's answer that routing needs. Every ARN may be a model or a profile ARN. */
export interface PromptRouterDescription {
  readonly promptRouterArn: string
  readonly promptRouterName: string
  readonly modelArns: readonly string[]
  readonly fallbackModelArn: string
}

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

export type ControlPlaneOperation = 'GetInferenceProfile' | 'GetPromptRouter' | 'ListInferenceProfiles'

/**
 * The Bedrock control plane (`bedrock.{region}.amazonaws.com`, SigV4 name `bedrock`) with the gateway's own
 * credentials. Every method rejects with a ControlPlaneError (src/routing/control-plane-error.ts) and nothing else.
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
  /** `routing.cacheTtlSeconds` and `routing.negativeCacheTtlSeconds`, in milliseconds. */
  readonly ttlMs: number
  readonly negativeTtlMs: number
  /** Most entries kept; the least recently used goes first. */
  readonly maxEntries?: number
  readonly observer?: RoutingObserver
  /** Milliseconds clock; injectable for tests of expiry. Default Date.now. */
  readonly now?: () => number
}
