import { createHash, timingSafeEqual } from 'node:crypto'
import { AUTH_MESSAGE, HEADER, SIGV4_ALGORITHM, SIGV4_SCOPE_TERMINATOR, type ErrorName } from '../constants.ts'
import type { CredentialLookup } from '../credentials.ts'
import { canonicalHeaders, headerValues } from './canonical-headers.ts'
import { canonicalQuery } from './canonical-query.ts'
import { canonicalUri } from './canonical-uri.ts'
import { parseAuthorization } from './parse-authorization.ts'
import { hmac, signingKey } from './signing-key.ts'

/** A request as it arrived: node's raw url (path and query) and raw header list, and the body bytes. */
export interface ReceivedRequest {
  readonly method: string
  readonly rawUrl: string
  readonly rawHeaders: readonly string[]
  readonly body: Uint8Array
  /** Stands for the body's hash when the body is a stream of signed events (`STREAMING-AWS4-HMAC-SHA256-EVENTS`). */
  readonly payloadHash?: string
}

export interface VerifyOptions {
  readonly service: string
  readonly lookupCredentials: CredentialLookup
  readonly now: Date
  readonly maxClockSkewMs: number
}

export interface SignatureAccepted {
  readonly ok: true
  readonly accessKeyId: string
  readonly region: string
  readonly signedHeaders: readonly string[]
  readonly sessionToken?: string
}

export interface SignatureRejected {
  readonly ok: false
  readonly errorType: ErrorName
  readonly message: string
  readonly accessKeyId?: string
  readonly region?: string
  /** What the fake signed, when it got that far: the first thing to compare when a signer disagrees. */
  readonly canonicalRequest?: string
}

export type SignatureVerdict = SignatureAccepted | SignatureRejected

const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/
const REQUIRED_SIGNED_HEADERS = [HEADER.host, HEADER.amzDate]

/** Verifies a header-signed SigV4 request the way AWS's front end does, from the reference algorithm alone. */
export function verifySignature (request: ReceivedRequest, options: VerifyOptions): SignatureVerdict {
  const headers = headerValues(request.rawHeaders)
  const authorizations = headers.get(HEADER.authorization)
  if (authorizations === undefined) return reject('MissingAuthenticationTokenException', AUTH_MESSAGE.missingToken)
  if (authorizations.length > 1) return reject('IncompleteSignatureException', 'More than one Authorization header')

  const parsed = parseAuthorization(authorizations[0] as string)
  if (!parsed.ok) return reject('IncompleteSignatureException', parsed.message)
  const auth = parsed.value
  const who = { accessKeyId: auth.accessKeyId, region: auth.region }

  const amzDates = headers.get(HEADER.amzDate)
  const amzDate = amzDates?.length === 1 ? (amzDates[0] as string).trim() : undefined
  const signedAt = amzDate === undefined ? undefined : parseAmzDate(amzDate)
  if (amzDate === undefined || signedAt === undefined) {
    return reject('IncompleteSignatureException', "Authorization header requires a single valid 'X-Amz-Date' header", who)
  }
  if (auth.service !== options.service) {
    return reject('InvalidSignatureException', `Credential should be scoped to correct service: '${options.service}'.`, who)
  }
  if (auth.terminator !== SIGV4_SCOPE_TERMINATOR) {
    return reject('InvalidSignatureException',
      `Credential should be scoped with a valid terminator: '${SIGV4_SCOPE_TERMINATOR}', not '${auth.terminator}'.`, who)
  }
  if (auth.date !== amzDate.slice(0, 8)) {
    return reject('InvalidSignatureException',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${amzDate.slice(0, 8)}', from '${HEADER.amzDate}'.`, who)
  }
  const unsigned = REQUIRED_SIGNED_HEADERS.filter(name => !auth.signedHeaders.includes(name))
  if (unsigned.length > 0) {
    return reject('InvalidSignatureException', `'${unsigned.join("', '")}' must be a 'SignedHeader' in the AWS Authorization.`, who)
  }
  const skewMs = signedAt.getTime() - options.now.getTime()
  if (Math.abs(skewMs) > options.maxClockSkewMs) {
    const bound = new Date(options.now.getTime() + Math.sign(skewMs) * options.maxClockSkewMs)
    const message = skewMs < 0
      ? `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(bound)}`
      : `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(bound)}`
    return reject('InvalidSignatureException', message, who)
  }

  const credentials = options.lookupCredentials(auth.accessKeyId)
  if (credentials === undefined) return reject('UnrecognizedClientException', AUTH_MESSAGE.invalidToken, who)
  const tokens = headers.get(HEADER.securityToken)
  const sessionToken = tokens?.length === 1 ? tokens[0] : undefined
  if (tokens !== undefined && sessionToken === undefined) {
    return reject('UnrecognizedClientException', AUTH_MESSAGE.invalidToken, who)
  }
  if (sessionToken !== credentials.sessionToken) return reject('UnrecognizedClientException', AUTH_MESSAGE.invalidToken, who)
  if (credentials.expiration !== undefined && credentials.expiration.getTime() <= options.now.getTime()) {
    return reject('ExpiredTokenException', AUTH_MESSAGE.expiredToken, who)
  }

  const payloadHash = request.payloadHash ?? createHash('sha256').update(request.body).digest('hex')
  const declaredHashes = headers.get(HEADER.contentSha256)
  if (declaredHashes !== undefined && (declaredHashes.length !== 1 || declaredHashes[0]?.trim() !== payloadHash)) {
    return reject('InvalidSignatureException', `The provided '${HEADER.contentSha256}' header does not match what was computed.`, who)
  }
  const headerBlock = canonicalHeaders(headers, auth.signedHeaders)
  if (headerBlock === undefined) return reject('InvalidSignatureException', AUTH_MESSAGE.signatureMismatch, who)

  const queryStart = request.rawUrl.indexOf('?')
  const rawPath = queryStart === -1 ? request.rawUrl : request.rawUrl.slice(0, queryStart)
  const rawQuery = queryStart === -1 ? '' : request.rawUrl.slice(queryStart + 1)
  const canonicalRequest = [
    request.method,
    canonicalUri(rawPath),
    canonicalQuery(rawQuery),
    headerBlock,
    auth.signedHeaders.join(';'),
    payloadHash
  ].join('\n')
  const stringToSign = [
    SIGV4_ALGORITHM,
    amzDate,
    auth.scope,
    // Node hands header values over as latin1 strings of the bytes received; hashing them as latin1 hashes those
    // exact bytes, as AWS does (a UTF-8 re-encoding would double every byte above 0x7f).
    createHash('sha256').update(canonicalRequest, 'latin1').digest('hex')
  ].join('\n')
  const expected = hmac(signingKey(credentials.secretAccessKey, auth.date, auth.region, auth.service), stringToSign)
  if (!timingSafeEqual(expected, Buffer.from(auth.signature, 'hex'))) {
    return { ok: false, errorType: 'InvalidSignatureException', message: AUTH_MESSAGE.signatureMismatch, ...who, canonicalRequest }
  }
  return {
    ok: true,
    ...who,
    signedHeaders: auth.signedHeaders,
    ...(sessionToken === undefined ? {} : { sessionToken })
  }
}

function reject (errorType: SignatureRejected['errorType'], message: string, who: { accessKeyId?: string, region?: string } = {}): SignatureRejected {
  return { ok: false, errorType, message, ...who }
}

function parseAmzDate (text: string): Date | undefined {
  const match = AMZ_DATE.exec(text)
  if (match === null) return undefined
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number]
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second))
  return Number.isNaN(date.getTime()) ? undefined : date
}

function formatAmzDate (date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')
}
