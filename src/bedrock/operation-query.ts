import { encodeLabel, percentDecodeOnce } from './path-labels.ts'
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

/** Service model timestamps travel as RFC 3339 date-times (`2026-11-27T10:00:00Z`). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/
const MAX_RESULTS = /^[1-9]\d{0,3}$/
const MAX_RESULTS_LIMIT = 1000
/** nextToken: 1-2048 characters without whitespace (service model `^\S*$`); tokens are printable ASCII. */
const NEXT_TOKEN = /^[\x21-\x7e]{1,2048}$/

const ASYNC_INVOKE_STATUSES = new Set(['InProgress', 'Completed', 'Failed'])
const SORT_BY = new Set(['SubmissionTime'])
const SORT_ORDERS = new Set(['Ascending', 'Descending'])

function isDateTime (value: string): boolean {
  return DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))
}

/** ListAsyncInvokes' query parameters (service model), each with its value check. */
export const LIST_ASYNC_INVOKES_QUERY: QuerySchema = {
  submitTimeAfter: isDateTime,
  submitTimeBefore: isDateTime,
  statusEquals: (value) => ASYNC_INVOKE_STATUSES.has(value),
  maxResults: (value) => MAX_RESULTS.test(value) && Number(value) <= MAX_RESULTS_LIMIT,
  nextToken: (value) => NEXT_TOKEN.test(value),
  sortBy: (value) => SORT_BY.has(value),
  sortOrder: (value) => SORT_ORDERS.has(value)
}
