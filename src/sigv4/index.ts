/** SigV4 as both directions use it: canonical request, signing keys, signatures, x-amz-date. auth verifies with it, upstream signs with it. */

export { createAmzDateClock, formatAmzDate } from './amz-date.ts'
export { canonicalRequest, sigV4CanonicalQuery, splitRequestTarget } from './canonical-request.ts'
export {
  ALGORITHM_NAME_PATTERN,
  AMZ_DATE_HEADER,
  AMZ_DATE_PATTERN,
  AUTHORITY_PSEUDO_HEADER,
  AUTHORIZATION_HEADER,
  AUTHORIZATION_PARAMETER_SEPARATOR,
  AUTHORIZATION_PARAMETER_VALUE_SEPARATOR,
  BYTE_STRING_ENCODING,
  CONTENT_SHA256_HEADER,
  CREDENTIAL_ELEMENT_COUNT,
  CREDENTIAL_PARAMETER,
  CREDENTIAL_SCOPE_SEPARATOR,
  DATE_HEADER,
  HEX,
  HOST_HEADER,
  PRESIGNED_QUERY_PARAMETERS,
  REPEATED_HEADER_JOINER,
  SCOPE_DATE_LENGTH,
  SCOPE_TERMINATOR,
  SECURITY_TOKEN_HEADER,
  SHA256,
  SHA256_HEX_LENGTH,
  SIGNATURE_PARAMETER,
  SIGNED_HEADERS_PARAMETER,
  SIGNED_HEADERS_SEPARATOR,
  SIGNING_KEY_CACHE_ENTRIES,
  SIGV4_ALGORITHM,
  SIGV4_ALGORITHM_FAMILY
} from './constants.ts'
export { percentDecodeBytes } from './encoding.ts'
export { EVENT_SIGNING_ALGORITHM, EventSignatureChain, STREAMING_EVENTS_PAYLOAD } from './event-signature.ts'
export type { EventChainOrigin, SignableEvent } from './event-signature.ts'
export {
  computeSignature,
  createSigningKeyCache,
  credentialScope,
  formatAuthorization,
  sha256Hex,
  stringToSign
} from './signature.ts'
export type { SigningKeyCache } from './signature.ts'
