import { BedrockError } from '../bedrock/errors.ts'
import { AUTHORITY_PSEUDO_HEADER, HOST_HEADER, LINE_BREAK, NAME_VALUE_SEPARATOR, REPEATED_HEADER_JOINER } from './constants.ts'
import { canonicalHeaderValue } from './canonical-header-value.ts'
import { signedHeaderMissing } from './messages.ts'
import type { HeaderIndex } from './types.ts'

/**
 * The canonical headers block: one `name:value\n` line per signed header, in the order the client listed them
 * (every SDK lists them sorted, and a list in another order could not have produced a valid signature anyway).
 * `host` (or `:authority`, as the AWS SDK for JavaScript v3 signs it over HTTP/2) is the authority the request was
 * addressed to, whether it arrived as `Host` or HTTP/2's `:authority`.
 * A header the client says it signed but did not send is refused rather than signed as empty.
 */
export function canonicalHeaders (signedHeaders: readonly string[], headers: HeaderIndex, authority: string): string {
  let block = ''
  for (const name of signedHeaders) {
    block += name + NAME_VALUE_SEPARATOR + signedValue(name, headers, authority) + LINE_BREAK
  }
  return block
}

function signedValue (name: string, headers: HeaderIndex, authority: string): string {
  if (name === HOST_HEADER || name === AUTHORITY_PSEUDO_HEADER) return canonicalHeaderValue(authority)
  const values = headers.get(name)
  if (values === undefined) throw new BedrockError('InvalidSignatureException', signedHeaderMissing(name))
  if (values.length === 1) return canonicalHeaderValue(values[0] as string)
  return values.map(canonicalHeaderValue).join(REPEATED_HEADER_JOINER)
}
