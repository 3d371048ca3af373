import {
  BedrockError,
  PSEUDO_HEADER_PREFIX,
  QUERY_NAME_VALUE_SEPARATOR,
  QUERY_PARAMETER_SEPARATOR
} from '../core/index.ts'
import type { SigV4Client } from '../config/index.ts'
import {
  AUTHORIZATION_HEADER,
  percentDecodeBytes,
  PRESIGNED_QUERY_PARAMETERS,
  SIGV4_ALGORITHM_FAMILY,
  splitRequestTarget
} from '../sigv4/index.ts'
import { BEDROCK_SIGNING_SERVICE } from '../bedrock/index.ts'
import { authenticateBearer, bearerToken } from './bearer.ts'
import {
  MISSING_AUTHENTICATION_TOKEN,
  MULTIPLE_AUTHORIZATION_HEADERS,
  PRESIGNED_NOT_ACCEPTED,
  UNSUPPORTED_AUTHORIZATION_SCHEME
} from './messages.ts'
import type { Authenticated, AuthenticateInput, AuthLimits, ClientKeyIndex, HeaderIndex, ReceivedRequest, ScreenedAuthentication } from './types.ts'
import { screenSigV4, type SigV4Verification, verifyScreenedSigV4 } from './verify-sigv4.ts'

/**
 * Who is calling: a SigV4 client (signature verified for service `bedrock`, region taken from the credential scope)
 * or a bearer client. Throws a BedrockError shaped like Bedrock's front end for every refusal.
 *
 * Decisions beyond what AWS documents:
 * - Presigned (query-string) signatures are refused, even next to an Authorization header: one way in, not two.
 * - More than one Authorization header is refused rather than picking one.
 * - x-amz-security-token is accepted whether or not it is signed and is otherwise ignored: the gateway issues its
 *   own long-term keys, so a session token means nothing here. LiteLLM sends one (and signs it) when its own AWS
 *   credentials carry a token. It must never be forwarded upstream; the forwarder drops it.
 * - x-amz-content-sha256, when present, must equal the received body's hash; UNSIGNED-PAYLOAD is refused.
 */
export function authenticate (input: AuthenticateInput, keys: ClientKeyIndex, limits: AuthLimits): Authenticated {
  return completeAuthentication(screenAuthentication(input, keys, limits), input, keys)
}

/**
 * Everything `authenticate` checks that the headers alone decide, with the same errors: a bearer caller is
 * authenticated in full; a SigV4 caller's header, date, scope and key id are checked, its payload hash and
 * signature are left for `completeAuthentication` once the body has arrived. Run before a body is read.
 */
export function screenAuthentication (input: Omit<AuthenticateInput, 'bodySha256Hex'>, keys: ClientKeyIndex, limits: AuthLimits): ScreenedAuthentication {
  const { headers, authorization } = singleAuthorization(input)
  const token = bearerToken(authorization)
  if (token !== undefined) return { client: authenticateBearer(token, keys) }
  requireSigV4(authorization)
  const screened = screenSigV4(headers, authorization, sigV4Verification(input, keys, limits))
  const client = keys.sigV4ByAccessKeyId.get(screened.accessKeyId) as SigV4Client
  return { client, region: screened.region, unverifiedSignature: screened }
}

/**
 * Finishes what `screenAuthentication` began, on the same request now that its body's hash is known: a SigV4
 * caller's payload hash, then its signature. `keys` must be the index it was screened against.
 */
export function completeAuthentication (screened: ScreenedAuthentication, request: Omit<ReceivedRequest, 'headers'>, keys: ClientKeyIndex): Authenticated {
  const { client, unverifiedSignature } = screened
  if (unverifiedSignature === undefined) return { client }
  const verified = verifyScreenedSigV4(unverifiedSignature, request, keys.signingKeys)
  return {
    client,
    region: verified.region,
    eventChain: { seed: verified.signature, secret: unverifiedSignature.secret, region: verified.region, service: verified.service }
  }
}

function singleAuthorization (input: Pick<AuthenticateInput, 'rawPath' | 'rawHeaders'>): { headers: HeaderIndex, authorization: string } {
  if (hasQuerySignature(splitRequestTarget(input.rawPath).query)) {
    throw new BedrockError('IncompleteSignatureException', PRESIGNED_NOT_ACCEPTED)
  }
  const headers = indexHeaders(input.rawHeaders)
  const authorizations = headers.get(AUTHORIZATION_HEADER)
  if (authorizations === undefined) throw new BedrockError('AccessDeniedException', MISSING_AUTHENTICATION_TOKEN)
  if (authorizations.length > 1) throw new BedrockError('IncompleteSignatureException', MULTIPLE_AUTHORIZATION_HEADERS)
  return { headers, authorization: authorizations[0] as string }
}

function requireSigV4 (authorization: string): void {
  if (!authorization.trimStart().startsWith(SIGV4_ALGORITHM_FAMILY)) {
    throw new BedrockError('IncompleteSignatureException', UNSUPPORTED_AUTHORIZATION_SCHEME)
  }
}

const BEDROCK_ONLY: readonly string[] = [BEDROCK_SIGNING_SERVICE]

function sigV4Verification (input: Pick<AuthenticateInput, 'now' | 'signingNames'>, keys: ClientKeyIndex, limits: AuthLimits): SigV4Verification {
  const [service = BEDROCK_SIGNING_SERVICE, ...alsoAccepted] = input.signingNames ?? BEDROCK_ONLY
  return {
    service,
    alsoAccepted,
    now: input.now,
    clockSkewSeconds: limits.clockSkewSeconds,
    secretFor: (accessKeyId) => keys.sigV4ByAccessKeyId.get(accessKeyId)?.secretAccessKey,
    signingKeys: keys.signingKeys
  }
}

/**
 * Groups Node's flat `rawHeaders` list by lower-cased name. The raw list, not `req.headers`, because Node keeps only
 * the first of some repeated headers there and SigV4 signs every repetition. HTTP/2 pseudo-headers are left out:
 * `:authority` reaches the verifier separately and the others are never signed.
 */
export function indexHeaders (rawHeaders: readonly string[]): HeaderIndex {
  const index = new Map<string, string[]>()
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase()
    if (name.startsWith(PSEUDO_HEADER_PREFIX)) continue
    const value = rawHeaders[i + 1] as string
    const values = index.get(name)
    if (values === undefined) index.set(name, [value])
    else values.push(value)
  }
  return index
}

/** Whether a raw query carries presigned-URL parameters (`X-Amz-Signature` ...), however they are cased or encoded. */
export function hasQuerySignature (rawQuery: string): boolean {
  if (rawQuery.length === 0) return false
  for (const piece of rawQuery.split(QUERY_PARAMETER_SEPARATOR)) {
    const at = piece.indexOf(QUERY_NAME_VALUE_SEPARATOR)
    const key = percentDecodeBytes(at === -1 ? piece : piece.slice(0, at)).toLowerCase()
    if (PRESIGNED_QUERY_PARAMETERS.has(key)) return true
  }
  return false
}
