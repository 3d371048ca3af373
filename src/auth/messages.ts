/**
 * What a refused caller reads. Where AWS's front end has a wording, it is used word for word, because people search
 * for these sentences; no message ever repeats a secret, a signature or a bearer token.
 */

export const MISSING_AUTHENTICATION_TOKEN = 'Missing Authentication Token'
export const UNRECOGNIZED_CLIENT = 'The security token included in the request is invalid.'
export const SIGNATURE_MISMATCH = 'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.'
export const PRESIGNED_NOT_ACCEPTED = 'Query-string (presigned) signatures are not accepted by this gateway; ' +
  'sign the request with an Authorization header.'
export const MULTIPLE_AUTHORIZATION_HEADERS = 'The request carries more than one Authorization header.'
export const UNSUPPORTED_AUTHORIZATION_SCHEME = 'The Authorization header must use the AWS4-HMAC-SHA256 or the Bearer scheme.'
export const MISSING_BEARER_TOKEN = "Authorization header requires a token after 'Bearer'."
export const MALFORMED_AUTHORIZATION_PARAMETER =
  'Authorization header holds a parameter that is not a valid key=value pair (missing equal-sign).'
export const MALFORMED_SIGV4_AUTHORIZATION = 'The Authorization header is not of the form ' +
  "'AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...'."
export const MISSING_AMZ_DATE = "Authorization header requires existence of a 'X-Amz-Date' header."
export const CREDENTIAL_ELEMENTS =
  'Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term'
export const HOST_NOT_SIGNED = "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
export const AMZ_DATE_NOT_SIGNED = "'X-Amz-Date' must be a 'SignedHeader' in the AWS Authorization."
export const CONTENT_SHA256_MISMATCH = "The provided 'x-amz-content-sha256' header does not match what was computed. " +
  'It must be the hex SHA-256 of the request body; UNSIGNED-PAYLOAD is not accepted.'

export function unsupportedAlgorithm (algorithm: string): string {
  return `Unsupported AWS 'algorithm': '${algorithm}' (only AWS4-HMAC-SHA256 for now).`
}

export function missingAuthorizationParameter (name: string): string {
  return `Authorization header requires '${name}' parameter.`
}

export function invalidAmzDate (value: string): string {
  return `Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`
}

export function scopeRegionInvalid (region: string): string {
  return `Credential should be scoped to a valid region, not '${region}'.`
}

export function scopeServiceWrong (expectedService: string): string {
  return `Credential should be scoped to correct service: '${expectedService}'.`
}

export function scopeTerminatorWrong (terminator: string): string {
  return `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`
}

export function scopeDateMismatch (scopeDate: string, amzDate: string, amzDay: string): string {
  return 'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ' +
    `'${scopeDate}' != '${amzDay}', from '${amzDate}'.`
}

/** AWS: `Signature expired: 20150830T123600Z is now earlier than 20150830T124100Z (20150830T124600Z - 5 min.)`. */
export function signatureExpired (signedAt: string, earliestAccepted: string, now: string, skew: string): string {
  return `Signature expired: ${signedAt} is now earlier than ${earliestAccepted} (${now} - ${skew})`
}

/** AWS: `Signature not yet current: 20150830T130000Z is still later than 20150830T125100Z (20150830T124600Z + 5 min.)`. */
export function signatureNotYetCurrent (signedAt: string, latestAccepted: string, now: string, skew: string): string {
  return `Signature not yet current: ${signedAt} is still later than ${latestAccepted} (${now} + ${skew})`
}

/** AWS writes the allowed skew as `5 min.`; a skew configured in odd seconds is shown in seconds. */
export function skewText (skewSeconds: number): string {
  return skewSeconds % 60 === 0 ? `${skewSeconds / 60} min.` : `${skewSeconds} sec.`
}

export function repeatedAuthorizationParameter (name: string): string {
  return `Authorization header repeats the '${name}' parameter.`
}

export const EVENT_SIGNATURE_MISMATCH = 'The signature of an event on the stream does not match the one calculated from ' +
  'the signature before it; the stream was ended and nothing after the event was forwarded.'
