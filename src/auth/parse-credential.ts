import { BedrockError } from '../core/errors.ts'
import { CREDENTIAL_ELEMENT_COUNT, PATH_SEPARATOR } from './constants.ts'
import { CREDENTIAL_ELEMENTS } from './messages.ts'
import type { CredentialScope } from './types.ts'

/** `AKID/20150830/us-east-1/service/aws4_request` into its five parts; whether they are right is checked later. */
export function parseCredential (credential: string): CredentialScope {
  const elements = credential.split(PATH_SEPARATOR)
  if (elements.length !== CREDENTIAL_ELEMENT_COUNT) {
    throw new BedrockError('IncompleteSignatureException', CREDENTIAL_ELEMENTS)
  }
  const [accessKeyId, date, region, service, terminator] = elements as [string, string, string, string, string]
  return { accessKeyId, date, region, service, terminator }
}
