import t from 'tap'
import { upstreamTarget } from '../../src/upstream/request-target.ts'

t.test('the path is kept byte for byte', async (t) => {
  const path = '/model/arn%3Aaws%3Abedrock%3Aeu-west-2%3A111122223333%3Ainference-profile%2Feu.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse-stream'
  t.same(upstreamTarget(path, ''), { path, query: '', target: path })
})

t.test('the query is sent sorted and canonically encoded, repeated names kept', async (t) => {
  const { query, target } = upstreamTarget('/async-invoke', 'sortBy=SubmissionTime&maxResults=5&a=x%20y&a=b')
  t.equal(query, 'a=b&a=x%20y&maxResults=5&sortBy=SubmissionTime')
  t.equal(target, '/async-invoke?' + query, 'what is sent is what is signed')
})

t.test('escapes are decoded once and re-encoded the one SigV4 way', async (t) => {
  t.equal(upstreamTarget('/async-invoke', 'nextToken=a%2bb%7e%2Fc+d%3d').query, 'nextToken=a%2Bb~%2Fc%2Bd%3D')
})

t.test('presigning parameters in the query never go upstream', async (t) => {
  const { target } = upstreamTarget('/async-invoke', 'X-Amz-Credential=AKID%2F20261127&x-amz-signature=00&X-Amz-Security-Token=t&maxResults=5')
  t.equal(target, '/async-invoke?maxResults=5')
})

t.test('paths that are not canonically encoded, or that SigV4 would normalize differently, are refused', async (t) => {
  for (const path of ['model/x/invoke', '/model/a b/invoke', '/model/x/invoke#frag', '/model/x?y/invoke', '/model/é/invoke',
    '/model/%zz/invoke', '/model/../invoke', '/model/./invoke', '//model/x/invoke', '/model/x/invoke/', '/', '/model/..']) {
    t.throws(() => upstreamTarget(path, ''), { name: 'ValidationException', status: 400 }, path)
  }
})

t.test('a query with broken percent-encoding is refused', async (t) => {
  t.throws(() => upstreamTarget('/async-invoke', 'nextToken=%E0%A4%A'), { name: 'ValidationException', status: 400 })
})

t.test('a query whose escapes do not spell UTF-8 is refused', async (t) => {
  t.throws(() => upstreamTarget('/async-invoke', 'nextToken=%FF%FE'), { name: 'ValidationException', status: 400 })
})

t.test('a query with a raw character outside RFC 3986 is refused rather than encoded one way or the other', async (t) => {
  for (const query of ['nextToken=\u00e9', 'nextToken=a b', 'nextToken=\u4e2d']) {
    t.throws(() => upstreamTarget('/async-invoke', query), { name: 'ValidationException', status: 400 }, query)
  }
})

t.test('a query left empty once presigning parameters are dropped sends the bare path', async (t) => {
  t.same(upstreamTarget('/async-invoke', 'X-Amz-Signature=00'), { path: '/async-invoke', query: '', target: '/async-invoke' })
})

t.test('a segment that merely starts with dots is an ordinary segment', async (t) => {
  t.equal(upstreamTarget('/model/.x/..y/...', '').target, '/model/.x/..y/...')
})
