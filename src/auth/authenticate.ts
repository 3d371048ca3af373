import { BedrockError } from '../core/errors.ts'
import type { SigV4Client } from '../config/types.ts'
import { AUTHORIZATION_HEADER, BEDROCK_SIGNING_SERVICE, SIGV4_ALGORITHM_FAMILY } from './constants.ts'
import { authenticateBearer } from './bearer.ts'
import { bearerToken } from './bearer-token.ts'
import { hasQuerySignature } from './has-query-signature.ts'
import { indexHeaders } from './index-headers.ts'
import {
  MISSING_AUTHENTICATION_TOKEN,
  MULTIPLE_AUTHORIZATION_HEADERS,
  PRESIGNED_NOT_ACCEPTED,
  UNSUPPORTED_AUTHORIZATION_SCHEME
} from './messages.ts'
import { splitRequestTarget } from './split-request-target.ts'
import type { AuthenticateInput, Authenticated, AuthLimits, ClientKeyIndex } from './types.ts'
import { verifySigV4 } from './verify-sigv4.ts'

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
  if (hasQuerySignature(splitRequestTarget(input.rawPath).query)) {
    throw new BedrockError('IncompleteSignatureException', PRESIGNED_NOT_ACCEPTED)
  }
  const headers = indexHeaders(input.rawHeaders)
  const authorizations = headers.get(AUTHORIZATION_HEADER)
  if (authorizations === undefined) throw new BedrockError('AccessDeniedException', MISSING_AUTHENTICATION_TOKEN)
  if (authorizations.length > 1) throw new BedrockError('IncompleteSignatureException', MULTIPLE_AUTHORIZATION_HEADERS)
  const authorization = authorizations[0] as string

  const token = bearerToken(authorization)
  if (token !== undefined) return { client: authenticateBearer(token, keys) }

  if (!authorization.trimStart().startsWith(SIGV4_ALGORITHM_FAMILY)) {
    throw new BedrockError('IncompleteSignatureException', UNSUPPORTED_AUTHORIZATION_SCHEME)
  }
  const request = {
    method: input.method,
    rawPath: input.rawPath,
    headers,
    authority: input.authority,
    bodySha256Hex: input.bodySha256Hex
  }
  const verified = verifySigV4(request, authorization, {
    service: BEDROCK_SIGNING_SERVICE,
    now: input.now,
    clockSkewSeconds: limits.clockSkewSeconds,
    secretFor: (accessKeyId) => keys.sigV4ByAccessKeyId.get(accessKeyId)?.secretAccessKey,
    signingKeys: keys.signingKeys
  })
  const client = keys.sigV4ByAccessKeyId.get(verified.accessKeyId) as SigV4Client
  return { client, region: verified.region }
}
