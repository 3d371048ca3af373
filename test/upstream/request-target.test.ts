import t from 'tap'
import { upstreamTarget } from '../../src/upstream/request-target.ts'

t.test('the path is kept byte for byte', async (t) => {
  const path = '/model/arn%3Aaws%3Abedrock%3Aeu-west-2%3A111122223333%3Ainference-profile%2Feu.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse-stream'
  t.same(upstreamTarget(path, ''), { path, query: {}, target: path })
})

t.test('the query is sent sorted and canonically encoded, repeated names kept', async (t) => {
  const { query, target } = upstreamTarget('/async-invoke', 'sortBy=SubmissionTime&maxResults=5&a=x%20y&a=b')
  t.same(query, { sortBy: 'SubmissionTime', maxResults: '5', a: ['x y', 'b'] })
  t.equal(target, '/async-invoke?a=b&a=x%20y&maxResults=5&sortBy=SubmissionTime')
})

t.test('presigning parameters in the query never go upstream', async (t) => {
  const { target } = upstreamTarget('/async-invoke', 'X-Amz-Credential=AKID%2F20261127&x-amz-signature=00&X-Amz-Security-Token=t&maxResults=5')
  t.equal(target, '/async-invoke?maxResults=5')
})

t.test('paths that are not canonically encoded, or that SigV4 would normalize differently, are refused', async (t) => {
  for (const path of ['model/x/invoke', '/model/a b/invoke', '/model/x/invoke#frag', '/model/x?y/invoke', '/model/é/invoke',
    '/model/%zz/invoke', '/model/../invoke', '/model/./invoke', '//model/x/invoke', '/model/x/invoke/']) {
    t.throws(() => upstreamTarget(path, ''), { name: 'ValidationException', status: 400 }, path)
  }
})

t.test('a query with broken percent-encoding is refused', async (t) => {
  t.throws(() => upstreamTarget('/async-invoke', 'nextToken=%E0%A4%A'), { name: 'ValidationException', status: 400 })
})
