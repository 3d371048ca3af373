import t from 'tap'
import { canonicalRequest } from '../../src/auth/canonical-request.ts'
import { indexHeaders } from '../../src/auth/index-headers.ts'

const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

t.test("the AWS test suite's get-vanilla canonical request", async (t) => {
  const request = {
    method: 'GET',
    rawPath: '/',
    headers: indexHeaders(['Host', 'example.amazonaws.com', 'X-Amz-Date', '20150830T123600Z']),
    authority: 'example.amazonaws.com',
    bodySha256Hex: EMPTY_BODY_SHA256
  }
  t.equal(canonicalRequest(request, ['host', 'x-amz-date']),
    'GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n' + EMPTY_BODY_SHA256)
})

t.test('a LiteLLM converse request: path encoded once more, query sorted, body hash last', async (t) => {
  const request = {
    method: 'POST',
    rawPath: '/eu-west-2/model/eu.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse?b=2&a=1',
    headers: indexHeaders(['Content-Type', 'application/json', 'X-Amz-Date', '20261127T101500Z']),
    authority: '127.0.0.1:8080',
    bodySha256Hex: 'ab'.repeat(32)
  }
  t.equal(canonicalRequest(request, ['content-type', 'host', 'x-amz-date']), [
    'POST',
    '/eu-west-2/model/eu.anthropic.claude-3-7-sonnet-20250219-v1%253A0/converse',
    'a=1&b=2',
    'content-type:application/json',
    'host:127.0.0.1:8080',
    'x-amz-date:20261127T101500Z',
    '',
    'content-type;host;x-amz-date',
    'ab'.repeat(32)
  ].join('\n'))
})
