import t from 'tap'
import { LIST_ASYNC_INVOKES_QUERY } from '../../src/bedrock/list-async-invokes-query.ts'

const accepts = (name: string, value: string): boolean => LIST_ASYNC_INVOKES_QUERY[name]?.(value) === true

t.test('accepts the values the service model defines', async (t) => {
  t.ok(accepts('submitTimeAfter', '2026-01-01T00:00:00Z'))
  t.ok(accepts('submitTimeBefore', '2026-01-01T00:00:00.123+02:00'))
  for (const status of ['InProgress', 'Completed', 'Failed']) t.ok(accepts('statusEquals', status))
  t.ok(accepts('maxResults', '1'))
  t.ok(accepts('maxResults', '1000'))
  t.ok(accepts('nextToken', 'eyJhIjoxfQ=='))
  t.ok(accepts('sortBy', 'SubmissionTime'))
  t.ok(accepts('sortOrder', 'Ascending'))
})

t.test('refuses anything else', async (t) => {
  t.notOk(accepts('submitTimeAfter', '2026-01-01'))
  t.notOk(accepts('submitTimeAfter', '2026-13-45T99:00:00Z'))
  t.notOk(accepts('statusEquals', 'completed'))
  for (const value of ['0', '1001', '01', '-1', '1e3', '']) t.notOk(accepts('maxResults', value), value)
  t.notOk(accepts('nextToken', ''))
  t.notOk(accepts('nextToken', 'a b'))
  t.notOk(accepts('nextToken', 'x'.repeat(2049)))
  t.notOk(accepts('sortOrder', 'descending'))
  t.equal(LIST_ASYNC_INVOKES_QUERY.region, undefined)
})
