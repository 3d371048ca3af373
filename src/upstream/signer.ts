import type { AwsCredentialIdentity } from '@smithy/types'
import {
  AMZ_DATE_HEADER,
  AUTHORIZATION_HEADER,
  canonicalRequest,
  computeSignature,
  CONTENT_SHA256_HEADER,
  createAmzDateClock,
  createSigningKeyCache,
  credentialScope,
  DATE_HEADER,
  EventSignatureChain,
  formatAuthorization,
  HOST_HEADER,
  SCOPE_DATE_LENGTH,
  SECURITY_TOKEN_HEADER,
  SIGNED_HEADERS_SEPARATOR,
  SIGNING_KEY_CACHE_ENTRIES,
  STREAMING_EVENTS_PAYLOAD,
  stringToSign
} from '../sigv4/index.ts'
import type { UpstreamOrigin } from './upstream-origin.ts'

/** Only the signer sets these; a caller's copy of any of them never reaches a signature or the wire. */
const SIGNER_OWNED_HEADERS: ReadonlySet<string> = new Set([
  AUTHORIZATION_HEADER, AMZ_DATE_HEADER, DATE_HEADER, HOST_HEADER, CONTENT_SHA256_HEADER, SECURITY_TOKEN_HEADER
])
/**
 * Sent but never signed: headers that proxies and HTTP stacks on the way may add, drop or rewrite, which would break
 * a signature in transit, and the user agent, which is about attribution. The same set the AWS SDKs leave unsigned,
 * so the gateway's signatures equal theirs.
 */
const UNSIGNED_HEADERS: ReadonlySet<string> = new Set([
  'cache-control', 'connection', 'expect', 'from', 'keep-alive', 'max-forwards', 'pragma', 'referer', 'te', 'trailer',
  'transfer-encoding', 'upgrade', 'user-agent', 'x-amzn-trace-id'
])
const UNSIGNED_HEADER_PREFIX = /^(?:proxy-|sec-)/

export interface UnsignedUpstreamRequest {
  readonly region: string
  /** The SigV4 signing name of the service the request is for (`bedrock` for the runtime and the control plane). */
  readonly signingName: string
  readonly method: string
  readonly origin: UpstreamOrigin
  /** Already canonically encoded (`%3A` in a model id); sent as it is and encoded once more in the canonical request. */
  readonly path: string
  /** SigV4's canonical query without `?` (upstreamTarget's `query`), signed as it is. */
  readonly query: string
  readonly headers: Readonly<Record<string, string>>
  /** The body's hash, computed once by whoever read the body; sent as `x-amz-content-sha256` so nothing rehashes it. */
  readonly bodySha256Hex: string
}

/** A request that opens a stream of signed events, and the chain its events are signed on. */
export interface SignedEventStreamRequest {
  readonly headers: Record<string, string>
  /** Starts at the request's own signature, with the same credentials. */
  readonly chain: EventSignatureChain
}

export interface UpstreamSigner {
  /**
   * The complete header set to send, names lower-case: the given headers plus host, x-amz-content-sha256,
   * x-amz-date, the session token when the credentials have one, and authorization.
   */
  sign (request: UnsignedUpstreamRequest): Promise<Record<string, string>>
  /** As `sign`, for a body of signed events: the payload hash is STREAMING_EVENTS_PAYLOAD. */
  signEventStream (request: Omit<UnsignedUpstreamRequest, 'bodySha256Hex'>): Promise<SignedEventStreamRequest>
}

function isSigned (name: string): boolean {
  return !UNSIGNED_HEADERS.has(name) && !UNSIGNED_HEADER_PREFIX.test(name)
}

/**
 * Keeps the signed names in SigV4's order as they are added: header names are ASCII, so code-unit order is the byte
 * order SigV4 sorts by. For the handful of names a request signs this costs nothing, where Array.prototype.sort
 * allocates its own work space on every call.
 */
function insertSorted (names: string[], name: string): void {
  let at = names.length
  names.push(name)
  while (at > 0 && (names[at - 1] as string) > name) {
    names[at] = names[at - 1] as string
    at--
  }
  names[at] = name
}

/**
 * Signs upstream requests with SigV4 for the request's signing name in the requested region, with the same canonicalization,
 * string to sign and signing keys the inbound verifier uses. Per request it waits for nothing but the credentials;
 * the signing key is derived once per credentials, day and region, and x-amz-date formatted once per second.
 */
export function createUpstreamSigner (credentials: () => Promise<AwsCredentialIdentity>, now: () => number = Date.now): UpstreamSigner {
  const signingKeys = createSigningKeyCache(SIGNING_KEY_CACHE_ENTRIES)
  const amzDate = createAmzDateClock(now)

  /** The headers to send and the request's signature, signed with `identity`. */
  function signWith (identity: AwsCredentialIdentity, request: UnsignedUpstreamRequest): { headers: Record<string, string>; signature: string } {
    const { region, signingName, method, origin, path, query, headers, bodySha256Hex } = request
    const { accessKeyId, secretAccessKey, sessionToken } = identity
    const signedAt = amzDate()
    const date = signedAt.slice(0, SCOPE_DATE_LENGTH)

    // Lower-cased, so two spellings of one name cannot be sent twice and signed once.
    const sent: Record<string, string> = {}
    const signedHeaders: string[] = []
    for (const given of Object.keys(headers)) {
      const name = given.toLowerCase()
      if (SIGNER_OWNED_HEADERS.has(name)) continue
      if (isSigned(name) && !Object.hasOwn(sent, name)) insertSorted(signedHeaders, name)
      sent[name] = headers[given] as string
    }
    sent[HOST_HEADER] = origin.host
    sent[CONTENT_SHA256_HEADER] = bodySha256Hex
    sent[AMZ_DATE_HEADER] = signedAt
    insertSorted(signedHeaders, HOST_HEADER)
    insertSorted(signedHeaders, CONTENT_SHA256_HEADER)
    insertSorted(signedHeaders, AMZ_DATE_HEADER)
    // An empty token is no token: temporary credentials always carry a non-empty one.
    if (sessionToken !== undefined && sessionToken !== '') {
      sent[SECURITY_TOKEN_HEADER] = sessionToken
      insertSorted(signedHeaders, SECURITY_TOKEN_HEADER)
    }

    const scope = credentialScope(date, region, signingName)
    const canonical = canonicalRequest({
      method,
      path,
      canonicalQuery: query,
      signedHeaders,
      headerValues: (name) => sent[name],
      payloadSha256Hex: bodySha256Hex
    })
    const signature = computeSignature(signingKeys.get(secretAccessKey, date, region, signingName),
      stringToSign(signedAt, scope, canonical))
    sent[AUTHORIZATION_HEADER] = formatAuthorization(accessKeyId, scope, signedHeaders.join(SIGNED_HEADERS_SEPARATOR), signature)
    return { headers: sent, signature }
  }

  return {
    async sign (request) {
      return signWith(await credentials(), request).headers
    },
    async signEventStream (request) {
      const identity = await credentials()
      const { headers, signature } = signWith(identity, { ...request, bodySha256Hex: STREAMING_EVENTS_PAYLOAD })
      const origin = { seed: signature, secret: identity.secretAccessKey, region: request.region, service: request.signingName }
      return { headers, chain: new EventSignatureChain(origin, signingKeys) }
    }
  }
}
