import type { ResourceIdentifier } from './identifier-types.ts'
import { ARN_SCHEME, parseArn } from './arn.ts'
import { quoteValue } from './quote-value.ts'

export type GuardrailIdParse = { readonly ok: true; readonly id: ResourceIdentifier } | { readonly ok: false; readonly message: string }

/** Service model: GuardrailIdentifier is 0-2048 characters, a plain id or a guardrail ARN (which names a region). */
const GUARDRAIL_IDENTIFIER_MAX_LENGTH = 2048
const PLAIN_GUARDRAIL_ID = /^[a-z0-9]+$/
const ARN_PREFIX = ARN_SCHEME + ':'

/** A decoded guardrail identifier (path label after decoding, header value, or JSON body value). */
export function parseGuardrailIdentifier (text: string): GuardrailIdParse {
  if (text.length > GUARDRAIL_IDENTIFIER_MAX_LENGTH) {
    return { ok: false, message: `guardrail identifier is longer than ${GUARDRAIL_IDENTIFIER_MAX_LENGTH} characters` }
  }
  if (PLAIN_GUARDRAIL_ID.test(text)) return { ok: true, id: { kind: 'guardrail-id', text } }
  if (!text.startsWith(ARN_PREFIX)) {
    return { ok: false, message: `guardrail identifier ${quoteValue(text)} is neither a guardrail id nor a guardrail ARN` }
  }
  const parsed = parseArn(text)
  if (!parsed.ok) return parsed
  if (parsed.arn.resourceType !== 'guardrail') {
    return { ok: false, message: `guardrail identifier ${quoteValue(text)} is of resource type ${parsed.arn.resourceType}, not guardrail` }
  }
  return { ok: true, id: { kind: 'arn', text, arn: parsed.arn } }
}
