import { BedrockError } from '../core/errors.ts'
import { BEARER_SCHEME } from './constants.ts'
import { MISSING_BEARER_TOKEN } from './messages.ts'

const SCHEME_AND_REST = /^([^ \t]*)[ \t]*(.*)$/s

/**
 * The token of a `Bearer <token>` Authorization header, or undefined when the header uses another scheme.
 * The scheme name is case-insensitive (RFC 9110); a Bearer header without a token is malformed.
 */
export function bearerToken (authorization: string): string | undefined {
  const [, scheme, rest] = SCHEME_AND_REST.exec(authorization.trim()) as RegExpExecArray
  if ((scheme as string).toLowerCase() !== BEARER_SCHEME) return undefined
  if ((rest as string).length === 0) throw new BedrockError('IncompleteSignatureException', MISSING_BEARER_TOKEN)
  return rest as string
}
