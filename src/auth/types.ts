import type { EventChainOrigin, SigningKeyCache } from '../sigv4/index.ts'
import type { BearerClient, ClientConfig, SigV4Client } from '../config/index.ts'
import type { ScreenedSigV4 } from './verify-sigv4.ts'

/**
 * Header values by lower-cased name, every received value in arrival order. Values are byte strings: Node hands
 * header values and request targets over one char per received byte (latin1), on HTTP/1.1 and HTTP/2 alike.
 */
export type HeaderIndex = ReadonlyMap<string, readonly string[]>

/** A request exactly as received, reduced to what a SigV4 signature covers. */
export interface ReceivedRequest {
  readonly method: string
  /** Path and query exactly as received, including any region prefix. */
  readonly rawPath: string
  readonly headers: HeaderIndex
  /** The `host` header on HTTP/1.1, `:authority` on HTTP/2; signed under the name `host` either way. */
  readonly authority: string
  /** Lower-case hex sha256 of the body as received; the server hashes once and shares it. */
  readonly bodySha256Hex: string
}

export interface CredentialScope {
  readonly accessKeyId: string
  readonly date: string
  readonly region: string
  readonly service: string
  readonly terminator: string
}

export interface SigV4Authorization {
  readonly scope: CredentialScope
  /** Lower-cased header names, in the order the client listed them. */
  readonly signedHeaders: readonly string[]
  readonly signature: string
}

/** Built once per config load: how authenticate() finds a client from what a request presents. */
export interface ClientKeyIndex {
  readonly sigV4ByAccessKeyId: ReadonlyMap<string, SigV4Client>
  /** Keyed by lower-case hex sha256 of the bearer key. */
  readonly bearerByKeySha256: ReadonlyMap<string, BearerClient>
  readonly signingKeys: SigningKeyCache
}

export interface AuthenticateInput {
  readonly method: string
  /** Path and query exactly as received, including any region prefix. */
  readonly rawPath: string
  /** Node's `rawHeaders`: name, value, name, value ... */
  readonly rawHeaders: readonly string[]
  /** The `host` header on HTTP/1.1, `:authority` on HTTP/2. */
  readonly authority: string
  readonly bodySha256Hex: string
  readonly now: Date
  /**
   * The signing names the credential scope may carry for the API the path belongs to (bedrock-mantle accepts two);
   * `bedrock` when absent.
   */
  readonly signingNames?: readonly string[]
}

export interface AuthLimits {
  readonly clockSkewSeconds: number
}

export interface Authenticated {
  readonly client: ClientConfig
  /** The credential scope's region for SigV4 callers; bearer callers name theirs in the path. */
  readonly region?: string
  /** SigV4 callers only: where the signatures of the events they send on a bidirectional stream chain from. */
  readonly eventChain?: EventChainOrigin
}

/**
 * A caller as far as the request's headers tell: a bearer caller is authenticated in full; a SigV4 caller still
 * has its payload hash and signature to be verified (`completeAuthentication`).
 */
export interface ScreenedAuthentication extends Authenticated {
  readonly unverifiedSignature?: ScreenedSigV4
}
