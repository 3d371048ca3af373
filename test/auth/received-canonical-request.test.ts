import t from 'tap'
import { indexHeaders } from '../../src/auth/index-headers.ts'
import { receivedCanonicalRequest } from '../../src/auth/received-canonical-request.ts'

t.test('a LiteLLM converse request: path encoded once more, query sorted, body hash last', async (t) => {
  const request = {
    method: 'POST',
    rawPath: '/eu-west-2/model/eu.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse?b=2&a=1',
    headers: indexHeaders(['Content-Type', 'application/json', 'X-Amz-Date', '20261127T101500Z']),
    authority: '127.0.0.1:8080',
    bodySha256Hex: 'ab'.repeat(32)
  }
  t.equal(receivedCanonicalRequest(request, ['content-type', 'host', 'x-amz-date']), [
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

t.test('host is the authority the request was addressed to, not a host header', async (t) => {
  const request = {
    method: 'GET',
    rawPath: '/',
    headers: indexHeaders(['host', 'forged.example']),
    authority: '127.0.0.1:8080',
    bodySha256Hex: 'ab'.repeat(32)
  }
  t.equal(receivedCanonicalRequest(request, ['host']).split('\n')[3], 'host:127.0.0.1:8080')
})

t.test('an HTTP/2 client that signs :authority signs the same authority under that name', async (t) => {
  const request = { method: 'GET', rawPath: '/', headers: indexHeaders([]), authority: '127.0.0.1:8443', bodySha256Hex: 'ab'.repeat(32) }
  t.equal(receivedCanonicalRequest(request, [':authority']).split('\n')[3], ':authority:127.0.0.1:8443')
})
