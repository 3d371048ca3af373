import type { NamedIdentifier, OperationName } from '../bedrock/index.ts'
import type { RoutingVerifyMode } from '../config/index.ts'

/** What the engine decides on: the request as understood, plus the region the caller asked for. */
export interface RequestFacts {
  readonly operation: OperationName
  readonly region: string
  readonly identifiers: readonly NamedIdentifier[]
  /** What the control plane reported about routed identifiers. Absent: nothing was resolved, `catalog` mode. */
  readonly routing?: RequestRouting
}

/** Resolution results handed to the engine as data; the engine itself never asks AWS. */
export interface RequestRouting {
  /** `live`: system profiles must also have a verified resolution whose every destination is allowed. */
  readonly verify: RoutingVerifyMode
  readonly resolutions: RoutingFacts
}

/*
 * Routing facts: where an application inference profile, a prompt router or (in `live` mode) a system inference
 * profile can actually run, as the Bedrock control plane reports it from the requested region. They are the engine's
 * input like the rest of RequestFacts: the engine never does I/O, so the gateway (or `explain`) resolves first and
 * hands the answers over as `RequestFacts.routing`, keyed by the identifier text the request named.
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
