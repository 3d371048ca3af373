import { BedrockError } from '../bedrock/errors.ts'
import { AMZ_DATE_HEADER, AUTHORITY_PSEUDO_HEADER, HOST_HEADER, REPEATED_HEADER_JOINER } from './constants.ts'
import { checkClockSkew } from './check-clock-skew.ts'
import { checkCredentialScope } from './check-credential-scope.ts'
import { checkPayloadHash } from './check-payload-hash.ts'
import { computeSignature } from './compute-signature.ts'
import { credentialScope } from './credential-scope.ts'
import {
  AMZ_DATE_NOT_SIGNED,
  HOST_NOT_SIGNED,
  MISSING_AMZ_DATE,
  SIGNATURE_MISMATCH,
  UNRECOGNIZED_CLIENT,
  invalidAmzDate
} from './messages.ts'
import { parseAmzDate } from './parse-amz-date.ts'
import { parseAuthorization } from './parse-authorization.ts'
import { receivedCanonicalRequest } from './received-canonical-request.ts'
import { signaturesMatch } from './signatures-match.ts'
import { stringToSign } from './string-to-sign.ts'
import type { HeaderIndex, ReceivedRequest, SigningKeyCache, SigV4Authorization } from './types.ts'

export interface SigV4Verification {
  /** The signing name the credential scope must carry (`bedrock` for the gateway; the test suite uses `service`). */
  readonly service: string
  readonly now: Date
  readonly clockSkewSeconds: number
  /** The secret issued with this key id, or undefined when the key id is unknown. */
  readonly secretFor: (accessKeyId: string) => string | undefined
  readonly signingKeys: SigningKeyCache
}

export interface VerifiedSigV4 {
  readonly accessKeyId: string
  /** The credential scope's region: the region the caller asked for. */
  readonly region: string
}

/** What the header-only checks learnt: the parsed header, its date and the secret issued with its key id. */
interface ScreenedSigV4 {
  readonly authorization: SigV4Authorization
  readonly amzDate: string
  readonly secret: string
}

/**
 * Every check on a SigV4 request that its headers alone decide, in AWS's order: malformed header, date format, clock
 * skew, signed-header rules, scope, key id. Run before a body is read, so that a caller who could never pass costs
 * the gateway no memory; the payload hash and the signature need the body and are checked by verifySigV4.
 */
export function screenSigV4 (headers: HeaderIndex, authorizationHeader: string, verification: SigV4Verification): VerifiedSigV4 & ScreenedSigV4 {
  const authorization = parseAuthorization(authorizationHeader)
  const { scope, signedHeaders } = authorization

  const amzDates = headers.get(AMZ_DATE_HEADER)
  if (amzDates === undefined) throw new BedrockError('IncompleteSignatureException', MISSING_AMZ_DATE)
  if (amzDates.length !== 1) throw new BedrockError('IncompleteSignatureException', invalidAmzDate(amzDates.join(REPEATED_HEADER_JOINER)))
  const amzDate = amzDates[0] as string
  checkClockSkew(amzDate, parseAmzDate(amzDate), verification.now, verification.clockSkewSeconds)

  if (!signedHeaders.includes(HOST_HEADER) && !signedHeaders.includes(AUTHORITY_PSEUDO_HEADER)) throw new BedrockError('InvalidSignatureException', HOST_NOT_SIGNED)
  if (!signedHeaders.includes(AMZ_DATE_HEADER)) throw new BedrockError('InvalidSignatureException', AMZ_DATE_NOT_SIGNED)

  checkCredentialScope(scope, amzDate, verification.service)

  const secret = verification.secretFor(scope.accessKeyId)
  if (secret === undefined) throw new BedrockError('UnrecognizedClientException', UNRECOGNIZED_CLIENT)
  return { accessKeyId: scope.accessKeyId, region: scope.region, authorization, amzDate, secret }
}

/**
 * Verifies a SigV4 Authorization header the way AWS's front end does, in the same order, so each fault gets the
 * error AWS would give: the header-only checks of screenSigV4, then the payload hash, then the signature itself,
 * compared in constant time.
 */
export function verifySigV4 (request: ReceivedRequest, authorizationHeader: string, verification: SigV4Verification): VerifiedSigV4 {
  const { authorization: { scope, signedHeaders, signature }, amzDate, secret } = screenSigV4(request.headers, authorizationHeader, verification)

  checkPayloadHash(request.headers, request.bodySha256Hex)

  // The scope was checked above, terminator included, so it is rebuilt here exactly as the client wrote it.
  const signingKey = verification.signingKeys.get(secret, scope.date, scope.region, scope.service)
  const expected = computeSignature(signingKey, stringToSign(amzDate, credentialScope(scope.date, scope.region, scope.service),
    receivedCanonicalRequest(request, signedHeaders)))
  if (!signaturesMatch(signature, expected)) throw new BedrockError('InvalidSignatureException', SIGNATURE_MISMATCH)

  return { accessKeyId: scope.accessKeyId, region: scope.region }
}
