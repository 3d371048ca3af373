import { BedrockError } from '../core/index.ts'
import {
  ALGORITHM_NAME_PATTERN,
  AUTHORIZATION_PARAMETER_SEPARATOR,
  CREDENTIAL_ELEMENT_COUNT,
  CREDENTIAL_PARAMETER,
  AUTHORIZATION_PARAMETER_VALUE_SEPARATOR,
  SIGNED_HEADERS_SEPARATOR,
  CREDENTIAL_SCOPE_SEPARATOR,
  SIGNATURE_PARAMETER,
  SIGNED_HEADERS_PARAMETER,
  SIGV4_ALGORITHM
} from '../sigv4/index.ts'
import {
  CREDENTIAL_ELEMENTS,
  MALFORMED_AUTHORIZATION_PARAMETER,
  MALFORMED_SIGV4_AUTHORIZATION,
  missingAuthorizationParameter,
  repeatedAuthorizationParameter,
  unsupportedAlgorithm
} from './messages.ts'
import type { CredentialScope, SigV4Authorization } from './types.ts'

const FIRST_WHITESPACE = /[ \t]/
/** The exact layout botocore and the AWS SDKs write; matched in one step because this runs on every request. */
const SDK_LAYOUT = /^AWS4-HMAC-SHA256 Credential=([^,\s]+), ?SignedHeaders=([^,\s]+), ?Signature=([^,\s]*)$/
const REQUIRED_PARAMETERS = [CREDENTIAL_PARAMETER, SIGNATURE_PARAMETER, SIGNED_HEADERS_PARAMETER] as const

/**
 * Parses `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`. Parameters may come in any order,
 * with or without spaces after the commas; unknown ones are ignored, as AWS does. Anything missing, repeated or
 * not `key=value` is an IncompleteSignatureException, as AWS answers it.
 */
export function parseAuthorization (header: string): SigV4Authorization {
  const sdkLayout = SDK_LAYOUT.exec(header)
  if (sdkLayout !== null) return authorizationOf(sdkLayout[1] as string, sdkLayout[2] as string, sdkLayout[3] as string)

  const text = header.trim()
  const algorithmEnd = text.search(FIRST_WHITESPACE)
  const algorithm = algorithmEnd === -1 ? text : text.slice(0, algorithmEnd)
  if (algorithm !== SIGV4_ALGORITHM) {
    throw incomplete(ALGORITHM_NAME_PATTERN.test(algorithm) ? unsupportedAlgorithm(algorithm) : MALFORMED_SIGV4_AUTHORIZATION)
  }

  const parameters = new Map<string, string>()
  const rest = algorithmEnd === -1 ? '' : text.slice(algorithmEnd + 1)
  for (const part of rest.split(AUTHORIZATION_PARAMETER_SEPARATOR)) {
    const trimmed = part.trim()
    if (trimmed.length === 0) continue
    const at = trimmed.indexOf(AUTHORIZATION_PARAMETER_VALUE_SEPARATOR)
    if (at === -1) throw incomplete(MALFORMED_AUTHORIZATION_PARAMETER)
    const name = trimmed.slice(0, at)
    if (parameters.has(name)) throw incomplete(repeatedAuthorizationParameter(name))
    parameters.set(name, trimmed.slice(at + 1))
  }

  const missing = REQUIRED_PARAMETERS.filter((name) => !parameters.has(name))
  if (missing.length > 0) throw incomplete(missing.map(missingAuthorizationParameter).join(' '))

  return authorizationOf(parameters.get(CREDENTIAL_PARAMETER) as string, parameters.get(SIGNED_HEADERS_PARAMETER) as string,
    parameters.get(SIGNATURE_PARAMETER) as string)
}

function authorizationOf (credential: string, signedHeaders: string, signature: string): SigV4Authorization {
  return {
    scope: parseCredential(credential),
    signedHeaders: signedHeaders.length === 0 ? [] : signedHeaders.toLowerCase().split(SIGNED_HEADERS_SEPARATOR),
    signature
  }
}

function incomplete (message: string): BedrockError {
  return new BedrockError('IncompleteSignatureException', message)
}

/** `AKID/20150830/us-east-1/service/aws4_request` into its five parts; whether they are right is checked later. */
export function parseCredential (credential: string): CredentialScope {
  const elements = credential.split(CREDENTIAL_SCOPE_SEPARATOR)
  if (elements.length !== CREDENTIAL_ELEMENT_COUNT) {
    throw new BedrockError('IncompleteSignatureException', CREDENTIAL_ELEMENTS)
  }
  const [accessKeyId, date, region, service, terminator] = elements as [string, string, string, string, string]
  return { accessKeyId, date, region, service, terminator }
}
