import t from 'tap'
import { LIST_ASYNC_INVOKES_QUERY, validatedOperationQuery } from '../../src/bedrock/operation-query.ts'

const schema = { b: (value: string) => value.length > 0, a: (value: string) => value === 'x:y' || value === 'ok' }

t.test('an empty query stays empty', async (t) => {
  t.same(validatedOperationQuery('', schema), { ok: true, query: '' })
})

t.test('parameters are decoded once, re-encoded and sorted', async (t) => {
  t.same(validatedOperationQuery('b=hello%2Fworld&a=x%3Ay', schema), { ok: true, query: 'a=x%3Ay&b=hello%2Fworld' })
  t.same(validatedOperationQuery('a=x:y', schema), { ok: true, query: 'a=x%3Ay' })
})

t.test('unknown, repeated, invalid or ambiguous parameters are refused', async (t) => {
  for (const query of ['c=1', 'a=ok&a=ok', 'a=nope', 'b=', 'b', 'a=ok&', 'b=a+b', 'b=%zz', '%zz=1']) t.notOk(validatedOperationQuery(query, schema).ok, query)
})

t.test('a literal % stays encoded: decoded once, encoded once', async (t) => {
  t.same(validatedOperationQuery('b=%2525', schema), { ok: true, query: 'b=%2525' })
})

t.test('an operation without query parameters refuses any', async (t) => {
  t.notOk(validatedOperationQuery('x-id=InvokeModel', {}).ok)
})

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
