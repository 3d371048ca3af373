import t from 'tap'
import { splitRequestTarget } from '../../src/auth/split-request-target.ts'

t.test('path and query split at the first question mark, encoding kept', async (t) => {
  t.same(splitRequestTarget('/async-invoke?nextToken=a%2Fb?c'), { path: '/async-invoke', query: 'nextToken=a%2Fb?c' })
})

t.test('a target without a question mark has an empty query', async (t) => {
  t.same(splitRequestTarget('/model/x/converse'), { path: '/model/x/converse', query: '' })
})
