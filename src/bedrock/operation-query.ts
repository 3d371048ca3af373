import { percentDecodeOnce } from './percent-decode.ts'
import { encodeLabel } from './encode-label.ts'
import { quoteValue } from './quote-value.ts'
import { QUERY_NAME_VALUE_SEPARATOR, QUERY_PARAMETER_SEPARATOR } from '../core/index.ts'

/** Query parameter name -> whether a decoded value is acceptable. */
export type QuerySchema = Readonly<Record<string, (value: string) => boolean>>

export type QueryResult = { readonly ok: true; readonly query: string } | { readonly ok: false; readonly message: string }

/** Form encoding reads `+` as a space, RFC 3986 as a plus: a value that means two things is refused. */
const AMBIGUOUS_PLUS = '+'
const NO_QUERY: QueryResult = { ok: true, query: '' }

/**
 * Validates a raw query string (without `?`) against the operation's parameters and rebuilds it canonically: each
 * parameter decoded once and re-encoded, sorted by name. Unknown, repeated or invalid parameters are refused, so the
 * upstream never sees a parameter the gateway did not understand.
 */
export function validatedOperationQuery (rawQuery: string, schema: QuerySchema): QueryResult {
  if (rawQuery === '') return NO_QUERY
  if (rawQuery.includes(AMBIGUOUS_PLUS)) return refuse(`query ${quoteValue(rawQuery)} holds a raw '+'; encode it as %2B`)
  const params = new Map<string, string>()
  for (const pair of rawQuery.split(QUERY_PARAMETER_SEPARATOR)) {
    const separator = pair.indexOf(QUERY_NAME_VALUE_SEPARATOR)
    const name = percentDecodeOnce(separator === -1 ? pair : pair.slice(0, separator))
    const value = percentDecodeOnce(separator === -1 ? '' : pair.slice(separator + 1))
    if (!name.ok) return refuse(`query parameter ${name.message}`)
    if (!value.ok) return refuse(`query value ${value.message}`)
    if (!Object.hasOwn(schema, name.value)) return refuse(`query parameter ${quoteValue(name.value)} is not one this operation defines`)
    if (params.has(name.value)) return refuse(`query parameter ${quoteValue(name.value)} is repeated`)
    if (schema[name.value]?.(value.value) !== true) {
      return refuse(`query parameter ${quoteValue(name.value)} has an invalid value ${quoteValue(value.value)}`)
    }
    params.set(name.value, value.value)
  }
  const query = [...params.keys()].sort()
    .map((name) => `${encodeLabel(name)}${QUERY_NAME_VALUE_SEPARATOR}${encodeLabel(params.get(name) ?? '')}`)
    .join(QUERY_PARAMETER_SEPARATOR)
  return { ok: true, query }
}

function refuse (message: string): QueryResult {
  return { ok: false, message }
}
