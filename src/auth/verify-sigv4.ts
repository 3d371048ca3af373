import { timingSafeEqual } from 'node:crypto'
import { BedrockError, MS_PER_SECOND } from '../core/index.ts'
import {
  AMZ_DATE_HEADER,
  AMZ_DATE_PATTERN,
  AUTHORITY_PSEUDO_HEADER,
  BYTE_STRING_ENCODING,
  canonicalRequest,
  computeSignature,
  CONTENT_SHA256_HEADER,
  credentialScope,
  formatAmzDate,
  HOST_HEADER,
  REPEATED_HEADER_JOINER,
  SCOPE_DATE_LENGTH,
  SCOPE_TERMINATOR,
  SHA256_HEX_LENGTH,
  type SigningKeyCache,
  sigV4CanonicalQuery,
  splitRequestTarget,
  stringToSign
} from '../sigv4/index.ts'
import {
  AMZ_DATE_NOT_SIGNED,
  CONTENT_SHA256_MISMATCH,
  HOST_NOT_SIGNED,
  invalidAmzDate,
  MISSING_AMZ_DATE,
  scopeDateMismatch,
  scopeRegionInvalid,
  scopeServiceWrong,
  scopeTerminatorWrong,
  SIGNATURE_MISMATCH,
  signatureExpired,
  signatureNotYetCurrent,
  skewText,
  UNRECOGNIZED_CLIENT
} from './messages.ts'
import { parseAuthorization } from './parse-authorization.ts'
import type { CredentialScope, HeaderIndex, ReceivedRequest, SigV4Authorization } from './types.ts'
import { isRegionName } from '../bedrock/index.ts'

export interface SigV4Verification {
  /** The signing name the credential scope must carry (`bedrock` for the gateway; the test suite uses `service`). */
  readonly service: string
  /** Further signing names the scope may carry instead (bedrock-mantle callers sign for `bedrock-mantle` or `bedrock`). */
  readonly alsoAccepted?: readonly string[]
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

/** What a verified signature chains on to, when the request opens a stream of signed events. */
export interface VerifiedSignature extends VerifiedSigV4 {
  readonly signature: string
  /** The credential scope's signing name. */
  readonly service: string
}

/** What the header-only checks learnt: the headers they read, the parsed header, its date and the secret issued with its key id. */
export interface ScreenedSigV4 extends VerifiedSigV4 {
  readonly headers: HeaderIndex
  readonly authorization: SigV4Authorization
  readonly amzDate: string
  readonly secret: string
}

/**
 * Every check on a SigV4 request that its headers alone decide, in AWS's order: malformed header, date format, clock
 * skew, signed-header rules, scope, key id. Run before a body is read, so that a caller who could never pass costs
 * the gateway no memory; the payload hash and the signature need the body and are checked by verifySigV4.
 */
export function screenSigV4 (headers: HeaderIndex, authorizationHeader: string, verification: SigV4Verification): ScreenedSigV4 {
  const authorization = parseAuthorization(authorizationHeader)
  const { scope, signedHeaders } = authorization

  const amzDates = headers.get(AMZ_DATE_HEADER)
  if (amzDates === undefined) throw new BedrockError('IncompleteSignatureException', MISSING_AMZ_DATE)
  if (amzDates.length !== 1) throw new BedrockError('IncompleteSignatureException', invalidAmzDate(amzDates.join(REPEATED_HEADER_JOINER)))
  const amzDate = amzDates[0] as string
  checkClockSkew(amzDate, parseAmzDate(amzDate), verification.now, verification.clockSkewSeconds)

  if (!signedHeaders.includes(HOST_HEADER) && !signedHeaders.includes(AUTHORITY_PSEUDO_HEADER)) throw new BedrockError('InvalidSignatureException', HOST_NOT_SIGNED)
  if (!signedHeaders.includes(AMZ_DATE_HEADER)) throw new BedrockError('InvalidSignatureException', AMZ_DATE_NOT_SIGNED)

  checkCredentialScope(scope, amzDate, verification.alsoAccepted?.includes(scope.service) === true ? scope.service : verification.service)

  const secret = verification.secretFor(scope.accessKeyId)
  if (secret === undefined) throw new BedrockError('UnrecognizedClientException', UNRECOGNIZED_CLIENT)
  return { accessKeyId: scope.accessKeyId, region: scope.region, headers, authorization, amzDate, secret }
}

/**
 * Verifies a SigV4 Authorization header the way AWS's front end does, in the same order, so each fault gets the
 * error AWS would give: the header-only checks of screenSigV4, then the payload hash, then the signature itself,
 * compared in constant time.
 */
export function verifySigV4 (request: ReceivedRequest, authorizationHeader: string, verification: SigV4Verification): VerifiedSignature {
  return verifyScreenedSigV4(screenSigV4(request.headers, authorizationHeader, verification), request, verification.signingKeys)
}

/**
 * What verifySigV4 checks after the headers: the payload hash, then the signature, against the request the screened
 * headers came with.
 */
export function verifyScreenedSigV4 (screened: ScreenedSigV4, request: Omit<ReceivedRequest, 'headers'>, signingKeys: SigningKeyCache): VerifiedSignature {
  const { headers, authorization: { scope, signedHeaders, signature }, amzDate, secret } = screened

  checkPayloadHash(headers, request.bodySha256Hex)

  // The scope was checked when screened, terminator included, so it is rebuilt here exactly as the client wrote it.
  const signingKey = signingKeys.get(secret, scope.date, scope.region, scope.service)
  const expected = computeSignature(signingKey, stringToSign(amzDate, credentialScope(scope.date, scope.region, scope.service),
    receivedCanonicalRequest({ method: request.method, rawPath: request.rawPath, headers, authority: request.authority, bodySha256Hex: request.bodySha256Hex },
      signedHeaders)))
  if (!signaturesMatch(signature, expected)) throw new BedrockError('InvalidSignatureException', SIGNATURE_MISMATCH)

  return { accessKeyId: scope.accessKeyId, region: scope.region, signature, service: scope.service }
}

/**
 * Refuses a signature dated further than the allowed skew from now, either way, with AWS's own wording. This is
 * what bounds how long a captured request can be replayed.
 */
export function checkClockSkew (amzDate: string, signedAtMs: number, now: Date, skewSeconds: number): void {
  const nowMs = now.getTime()
  const skewMs = skewSeconds * MS_PER_SECOND
  if (signedAtMs < nowMs - skewMs) {
    throw new BedrockError('InvalidSignatureException', signatureExpired(
      amzDate, formatAmzDate(nowMs - skewMs), formatAmzDate(nowMs), skewText(skewSeconds)))
  }
  if (signedAtMs > nowMs + skewMs) {
    throw new BedrockError('InvalidSignatureException', signatureNotYetCurrent(
      amzDate, formatAmzDate(nowMs + skewMs), formatAmzDate(nowMs), skewText(skewSeconds)))
  }
}

/**
 * The scope must name a region, this service, the aws4_request terminator and the day of x-amz-date. Like AWS, all
 * problems are reported at once, in one InvalidSignatureException. Whether the region is allowed is not decided
 * here: the scope's region is the requested region, and the policy engine judges it.
 */
export function checkCredentialScope (scope: CredentialScope, amzDate: string, service: string): void {
  const problems: string[] = []
  if (!isRegionName(scope.region)) problems.push(scopeRegionInvalid(scope.region))
  if (scope.service !== service) problems.push(scopeServiceWrong(service))
  if (scope.terminator !== SCOPE_TERMINATOR) problems.push(scopeTerminatorWrong(scope.terminator))
  const amzDay = amzDate.slice(0, SCOPE_DATE_LENGTH)
  if (scope.date !== amzDay) problems.push(scopeDateMismatch(scope.date, amzDate, amzDay))
  if (problems.length > 0) throw new BedrockError('InvalidSignatureException', problems.join(' '))
}

/**
 * A client that sends x-amz-content-sha256 (the AWS SDK for JavaScript does) must send the hash of the body as
 * received. UNSIGNED-PAYLOAD and the streaming markers are refused too: the gateway always has the whole body, so
 * the signature always covers it, and no Bedrock client needs an unsigned body.
 */
export function checkPayloadHash (headers: HeaderIndex, bodySha256Hex: string): void {
  const declared = headers.get(CONTENT_SHA256_HEADER)
  if (declared === undefined) return
  if (declared.length !== 1 || declared[0] !== bodySha256Hex) {
    throw new BedrockError('InvalidSignatureException', CONTENT_SHA256_MISMATCH)
  }
}

/**
 * The canonical request of a request as received, covering the headers the client says it signed. `host` (or
 * `:authority`, as the AWS SDK for JavaScript v3 signs it over HTTP/2) is the authority the request was addressed
 * to, whether it arrived as `Host` or HTTP/2's `:authority`.
 */
export function receivedCanonicalRequest (request: ReceivedRequest, signedHeaders: readonly string[]): string {
  const { path, query } = splitRequestTarget(request.rawPath)
  return canonicalRequest({
    method: request.method,
    path,
    canonicalQuery: sigV4CanonicalQuery(query),
    signedHeaders,
    headerValues: (name) => name === HOST_HEADER || name === AUTHORITY_PSEUDO_HEADER ? request.authority : request.headers.get(name),
    payloadSha256Hex: request.bodySha256Hex
  })
}

/**
 * Constant-time comparison of the signature a client sent with the expected one (both hex). Only the length can
 * short-circuit, and every well-formed signature has the same length, so timing reveals nothing about the value.
 */
export function signaturesMatch (provided: string, expectedHex: string): boolean {
  if (provided.length !== SHA256_HEX_LENGTH || expectedHex.length !== SHA256_HEX_LENGTH) return false
  return timingSafeEqual(Buffer.from(provided, BYTE_STRING_ENCODING), Buffer.from(expectedHex, BYTE_STRING_ENCODING))
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
const FEBRUARY = 2
const HOURS_PER_DAY = 24
const MINUTES_PER_HOUR = 60
const SECONDS_PER_MINUTE = 60

/**
 * Milliseconds since the epoch of an x-amz-date (`20150830T123600Z`). Only the ISO 8601 basic format SigV4 defines
 * is accepted, and only real calendar times: `20150230T000000Z` would silently roll over to March in Date.UTC.
 */
export function parseAmzDate (value: string): number {
  const match = AMZ_DATE_PATTERN.exec(value)
  if (match !== null) {
    const year = Number(match[1])
    const month = Number(match[2])
    const day = Number(match[3])
    const hour = Number(match[4])
    const minute = Number(match[5])
    const second = Number(match[6])
    if (month >= 1 && month <= DAYS_IN_MONTH.length && day >= 1 && day <= daysIn(year, month) &&
      hour < HOURS_PER_DAY && minute < MINUTES_PER_HOUR && second < SECONDS_PER_MINUTE) {
      return Date.UTC(year, month - 1, day, hour, minute, second)
    }
  }
  throw new BedrockError('IncompleteSignatureException', invalidAmzDate(value))
}

function daysIn (year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  return month === FEBRUARY && leap ? 29 : DAYS_IN_MONTH[month - 1] as number
}
