import t from 'tap'
import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime'
import { runtimeClientFor } from '../support/fake-bedrock/index.ts'
import { SIGV4_CLIENT, startGatewayHarness } from '../support/gateway-harness.ts'

t.test('converse through the gateway reaches the fake', async (t) => {
  const { fake, gateway } = await startGatewayHarness(t)
  const client = runtimeClientFor(gateway.url, { credentials: SIGV4_CLIENT, region: 'us-east-1' })
  const out = await client.send(new ConverseCommand({ modelId: 'us.anthropic.claude-3-5-sonnet-20241022-v2:0', messages: [{ role: 'user', content: [{ text: 'hi' }] }] }))
  t.equal(out.output?.message?.content?.[0]?.text, fake.lastResponseText)
  t.equal(fake.requests.length, 1)
  t.equal(fake.requests[0]?.path, '/model/us.anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse')
})
