import t from 'tap'
import { canonicalRequest } from '../../src/auth/canonical-request.ts'

const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

t.test("the AWS test suite's get-vanilla canonical request", async (t) => {
  const values: Record<string, string> = { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z' }
  t.equal(canonicalRequest({
    method: 'GET',
    path: '/',
    canonicalQuery: '',
    signedHeaders: ['host', 'x-amz-date'],
    headerValues: (name) => values[name],
    payloadSha256Hex: EMPTY_BODY_SHA256
  }), 'GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n' + EMPTY_BODY_SHA256)
})

t.test('the path is encoded once more and the query is taken as already canonical', async (t) => {
  const lines = canonicalRequest({
    method: 'GET',
    path: '/async-invoke/arn%3Aaws%3Abedrock%3Aeu-west-2%3A111122223333%3Aasync-invoke%2Fabc',
    canonicalQuery: 'b=2&a=1',
    signedHeaders: ['host'],
    headerValues: () => 'h',
    payloadSha256Hex: EMPTY_BODY_SHA256
  }).split('\n')
  t.equal(lines[1], '/async-invoke/arn%253Aaws%253Abedrock%253Aeu-west-2%253A111122223333%253Aasync-invoke%252Fabc')
  t.equal(lines[2], 'b=2&a=1')
})
