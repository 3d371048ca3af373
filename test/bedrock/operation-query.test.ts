import t from 'tap'
import { validatedOperationQuery } from '../../src/bedrock/operation-query.ts'

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
