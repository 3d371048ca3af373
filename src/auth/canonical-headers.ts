import { BedrockError } from '../core/errors.ts'
import { LINE_BREAK, NAME_VALUE_SEPARATOR, REPEATED_HEADER_JOINER } from './constants.ts'
import { canonicalHeaderValue } from './canonical-header-value.ts'
import { signedHeaderMissing } from './messages.ts'
import type { SignedHeaderValues } from './types.ts'

/**
 * The canonical headers block: one `name:value\n` line per signed header, in the order given (sorted by whoever
 * signs; a verifier keeps the client's order, since a list in another order could not have produced a valid
 * signature anyway). Where the values come from is the caller's: a received request's header index, or the headers
 * a signer is about to send. A header listed as signed that the request does not carry is refused rather than
 * signed as empty.
 */
export function canonicalHeaders (signedHeaders: readonly string[], valuesOf: SignedHeaderValues): string {
  let block = ''
  for (const name of signedHeaders) {
    block += name + NAME_VALUE_SEPARATOR + canonicalValue(name, valuesOf(name)) + LINE_BREAK
  }
  return block
}

function canonicalValue (name: string, values: string | readonly string[] | undefined): string {
  if (values === undefined) throw new BedrockError('InvalidSignatureException', signedHeaderMissing(name))
  if (typeof values === 'string') return canonicalHeaderValue(values)
  if (values.length === 1) return canonicalHeaderValue(values[0] as string)
  return values.map(canonicalHeaderValue).join(REPEATED_HEADER_JOINER)
}
