/** The one SigV4 algorithm AWS defines for symmetric keys; anything else in the Authorization header is refused. */
export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256'
/** Every SigV4 variant's algorithm starts with this, which tells a SigV4 header from other schemes. */
export const SIGV4_ALGORITHM_FAMILY = 'AWS4-'
/** What an algorithm name looks like; only a string of this shape is ever repeated back in an error. */
export const ALGORITHM_NAME_PATTERN = /^AWS4-[A-Z0-9-]{1,40}$/
/** Prepended to the secret before the first HMAC of the key derivation. */
export const SIGNING_KEY_SECRET_PREFIX = 'AWS4'
/** Last element of every SigV4 credential scope. */
export const SCOPE_TERMINATOR = 'aws4_request'

export const AUTHORIZATION_HEADER = 'authorization'
export const HOST_HEADER = 'host'
/**
 * The AWS SDK for JavaScript v3 over HTTP/2 lists this pseudo-header in SignedHeaders in place of `host` (and signs
 * the authority under this name); either one signs the authority the request was addressed to.
 */
export const AUTHORITY_PSEUDO_HEADER = ':authority'
export const AMZ_DATE_HEADER = 'x-amz-date'
export const CONTENT_SHA256_HEADER = 'x-amz-content-sha256'
/** Carries the session token of temporary credentials; signed like any other header. */
export const SECURITY_TOKEN_HEADER = 'x-amz-security-token'
/** HTTP's own date; SigV4 falls back to it when x-amz-date is absent, so a signer that sets x-amz-date drops it. */
export const DATE_HEADER = 'date'

/** Query parameters that carry a presigned (query-string) signature; compared lower-cased. */
export const PRESIGNED_QUERY_PARAMETERS: ReadonlySet<string> = new Set([
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-signature'
])

/** Names of the Authorization header's SigV4 parameters, exactly as AWS spells them. */
export const CREDENTIAL_PARAMETER = 'Credential'
export const SIGNED_HEADERS_PARAMETER = 'SignedHeaders'
export const SIGNATURE_PARAMETER = 'Signature'

/** ISO 8601 basic format, the only form SigV4 accepts for x-amz-date: `20150830T123600Z`. */
export const AMZ_DATE_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/
/** Length of the `YYYYMMDD` prefix of an x-amz-date, which the credential scope repeats. */
export const SCOPE_DATE_LENGTH = 8
/** Elements of a credential: key id, date, region, service, terminator. */
export const CREDENTIAL_ELEMENT_COUNT = 5

/** Separates the elements of a credential and of its scope: `AKID/20150830/us-east-1/bedrock/aws4_request`. */
export const CREDENTIAL_SCOPE_SEPARATOR = '/'
/** Separates the names in SignedHeaders, and in the canonical request's signed-headers line. */
export const SIGNED_HEADERS_SEPARATOR = ';'
/** Separates an Authorization parameter's name from its value: `Credential=...`. */
export const AUTHORIZATION_PARAMETER_VALUE_SEPARATOR = '='
export const AUTHORIZATION_PARAMETER_SEPARATOR = ','
/** How every AWS SDK lays out the Authorization header: algorithm, a space, parameters after a comma and a space. */
export const AUTHORIZATION_ALGORITHM_END = ' '
export const AUTHORIZATION_PARAMETER_DELIMITER = ', '
export const NAME_VALUE_SEPARATOR = ':'
/** SigV4 joins repeated headers' values with a comma, in the order they were received. */
export const REPEATED_HEADER_JOINER = ','
export const LINE_BREAK = '\n'

/** Length of a SHA-256 digest in lower-case hex, the form of a SigV4 signature and payload hash. */
export const SHA256_HEX_LENGTH = 64
export const SHA256 = 'sha256'
export const HEX = 'hex'
/** Node hands over request targets and header values one char per received byte. */
export const BYTE_STRING_ENCODING = 'latin1'

/**
 * Signing keys live a day per region; a handful of clients times a few regions times today and yesterday (around
 * midnight) is far below this. The bound only stops a client that cycles through scopes from growing memory.
 */
export const SIGNING_KEY_CACHE_ENTRIES = 256
