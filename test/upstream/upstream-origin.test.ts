import t from 'tap'
import { createOriginResolver } from '../../src/upstream/upstream-origin.ts'

t.test('the region fills the endpoint template and nothing else varies', async (t) => {
  const originFor = createOriginResolver('https://bedrock-runtime.{region}.amazonaws.com')
  t.same(originFor('eu-west-2'), {
    origin: 'https://bedrock-runtime.eu-west-2.amazonaws.com',
    protocol: 'https:',
    hostname: 'bedrock-runtime.eu-west-2.amazonaws.com',
    port: undefined,
    host: 'bedrock-runtime.eu-west-2.amazonaws.com'
  })
})

t.test('a non-default port is part of the host header', async (t) => {
  t.match(createOriginResolver('http://127.0.0.1:8443')('us-east-1'), { origin: 'http://127.0.0.1:8443', port: 8443, host: '127.0.0.1:8443' })
})

t.test('a region that could steer the host is refused before any URL is built', async (t) => {
  const originFor = createOriginResolver('https://bedrock-runtime.{region}.amazonaws.com')
  for (const region of ['evil.example/', 'eu-west-2.evil.example', 'EU-WEST-2', 'eu-west-2@evil', '', 'eu west 2']) {
    t.throws(() => originFor(region), { name: 'ValidationException', status: 400 }, JSON.stringify(region))
  }
})

t.test('an endpoint template with a path, query, credentials or another scheme is refused at startup', async (t) => {
  for (const template of ['https://bedrock-runtime.{region}.amazonaws.com/v1', 'https://bedrock-runtime.{region}.amazonaws.com?x=1',
    'https://user:pass@bedrock-runtime.{region}.amazonaws.com', 'ftp://bedrock-runtime.{region}.amazonaws.com', 'not a url']) {
    t.throws(() => createOriginResolver(template), Error, template)
  }
})
