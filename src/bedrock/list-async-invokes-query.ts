import type { QuerySchema } from './operation-query.ts'

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
