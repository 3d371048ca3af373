import { Agent as HttpsAgent } from 'node:https'
import http2 from 'node:http2'
import t, { type Test } from 'tap'
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import { loadConfig } from '../../src/config/load-config.ts'
import { startGateway } from '../../src/server/serve.ts'
import { FAKE_UPSTREAM_CREDENTIALS, startFakeBedrock } from '../support/fake-bedrock/index.ts'
import { writeConfig } from '../support/config-file.ts'
import { SIGV4_CLIENT, TEST_ENV, testConfigYaml } from '../support/gateway-harness.ts'
import { inProcessLimitsYaml } from '../support/gateway-clients.ts'
import { selfSignedCertificate } from '../support/self-signed-certificate.ts'

const MODEL_ID = 'us.anthropic.claude-3-5-sonnet-20241022-v2:0'

async function startTlsGateway (t: Test): Promise<{ url: string; cert: string; fake: Awaited<ReturnType<typeof startFakeBedrock>> }> {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  const { certPath, keyPath, cert } = selfSignedCertificate(t)
  const yaml = testConfigYaml(fake.url, inProcessLimitsYaml())
    .replace('listen: { host: 127.0.0.1, port: 0 }', `listen: { host: 127.0.0.1, port: 0, tls: { cert: "\${file:${certPath}}", key: "\${file:${keyPath}}" } }`)
  const config = await loadConfig(writeConfig(t, yaml), TEST_ENV)
  const gateway = await startGateway(config, { credentialProvider: async () => FAKE_UPSTREAM_CREDENTIALS })
  t.teardown(() => gateway.shutdown())
  return { url: gateway.url, cert, fake }
}

t.test('with listen.tls, an HTTP/1.1 client over TLS is served end to end', async (t) => {
  const { url, cert, fake } = await startTlsGateway(t)
  t.match(url, /^https:\/\/127\.0\.0\.1:\d+$/)
  const client = new BedrockRuntimeClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: SIGV4_CLIENT,
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({ httpsAgent: new HttpsAgent({ ca: cert }) })
  })
  const out = await client.send(new ConverseCommand({ modelId: MODEL_ID, messages: [{ role: 'user', content: [{ text: 'hi' }] }] }))
  t.equal(out.output?.message?.content?.[0]?.text, fake.lastResponseText)
  t.equal(fake.requests.length, 1)
})

t.test('with listen.tls, a client offering h2 by ALPN speaks HTTP/2 to the gateway', async (t) => {
  const { url, cert, fake } = await startTlsGateway(t)
  const session = http2.connect(url, { ca: cert })
  t.teardown(() => session.close())
  await new Promise<void>((resolve, reject) => session.once('connect', () => resolve()).once('error', reject))
  t.equal(session.alpnProtocol, 'h2')
  const stream = session.request({ ':method': 'POST', ':path': `/model/${encodeURIComponent(MODEL_ID)}/converse`, 'content-type': 'application/json' })
  stream.end('{}')
  const headers = await new Promise<http2.IncomingHttpHeaders>((resolve) => stream.once('response', resolve))
  stream.resume()
  t.equal(headers[':status'], 403, 'an unsigned request is refused over HTTP/2 as over HTTP/1.1')
  t.equal(headers['x-amzn-errortype'], 'AccessDeniedException')
  t.equal(fake.requests.length, 0)
})
