import {
  AUTHORIZATION_ALGORITHM_END,
  AUTHORIZATION_PARAMETER_DELIMITER,
  CREDENTIAL_PARAMETER,
  KEY_VALUE_SEPARATOR,
  PATH_SEPARATOR,
  SIGNATURE_PARAMETER,
  SIGNED_HEADERS_PARAMETER,
  SIGV4_ALGORITHM
} from './constants.ts'

/**
 * The Authorization header, in the exact layout botocore and the AWS SDKs write, so a request the gateway signs
 * cannot be told from one an SDK signed: `AWS4-HMAC-SHA256 Credential=AKID/scope, SignedHeaders=a;b, Signature=hex`.
 */
export function formatAuthorization (accessKeyId: string, credentialScope: string, signedHeaders: string, signature: string): string {
  return SIGV4_ALGORITHM + AUTHORIZATION_ALGORITHM_END +
    CREDENTIAL_PARAMETER + KEY_VALUE_SEPARATOR + accessKeyId + PATH_SEPARATOR + credentialScope + AUTHORIZATION_PARAMETER_DELIMITER +
    SIGNED_HEADERS_PARAMETER + KEY_VALUE_SEPARATOR + signedHeaders + AUTHORIZATION_PARAMETER_DELIMITER +
    SIGNATURE_PARAMETER + KEY_VALUE_SEPARATOR + signature
}
