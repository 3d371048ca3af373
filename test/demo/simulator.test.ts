/** The simulator answers each operation the way the AWS SDK for JavaScript expects Bedrock to, streams included. */
import t from 'tap'
import {
  ApplyGuardrailCommand,
  BedrockRuntimeClient,
  ConverseStreamCommand,
  CountTokensCommand,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
  ListAsyncInvokesCommand,
  StartAsyncInvokeCommand
} from '@aws-sdk/client-bedrock-runtime'
import { NodeHttpHandler } from '@smithy/node-http-handler'
import { startBedrockSimulator } from '../../src/demo/simulator.ts'

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true'

const simulator = await startBedrockSimulator()
t.teardown(() => simulator.close())
const client = new BedrockRuntimeClient({
  region: 'us-east-1',
  endpoint: simulator.url,
  credentials: { accessKeyId: 'AKIDSIMULATORTEST', secretAccessKey: 'not-a-secret' },
  maxAttempts: 1,
  // The simulator speaks HTTP/1.1, as the gateway's forwarder does; the SDK's default for Bedrock is HTTP/2.
  requestHandler: new NodeHttpHandler()
})
t.teardown(() => client.destroy())
const CLAUDE = 'anthropic.claude-3-haiku-20240307-v1:0'
const MESSAGES = [{ role: 'user' as const, content: [{ text: 'hi' }] }]
const decode = (bytes: Uint8Array | undefined): unknown => JSON.parse(new TextDecoder().decode(bytes))

t.test('ConverseStream: every event decodes, the text adds up, and the last event carries usage', async (t) => {
  const reply = await client.send(new ConverseStreamCommand({ modelId: 'amazon.nova-lite-v1:0', messages: MESSAGES }))
  let text = ''
  let usage: unknown
  for await (const event of reply.stream ?? []) {
    text += event.contentBlockDelta?.delta?.text ?? ''
    usage ??= event.metadata?.usage
  }
  t.match(text, /^Hello from the bedrock-geofence simulator\./)
  t.match(usage, { inputTokens: Number, outputTokens: Number })
})

t.test('InvokeModel answers an Anthropic model in the Messages shape, with the token-count headers', async (t) => {
  const reply = await client.send(new InvokeModelCommand({ modelId: CLAUDE, body: JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }) }))
  t.match(decode(reply.body), { type: 'message', content: [{ type: 'text', text: /simulator/ }], usage: { input_tokens: Number } })
})

t.test('InvokeModelWithResponseStream: Anthropic chunks that decode, ending with the invocation metrics', async (t) => {
  const reply = await client.send(new InvokeModelWithResponseStreamCommand({ modelId: CLAUDE, body: JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }) }))
  const chunks: Array<Record<string, unknown>> = []
  for await (const event of reply.body ?? []) chunks.push(decode(event.chunk?.bytes) as Record<string, unknown>)
  t.match(chunks[0], { type: 'message_start' })
  t.match(chunks.at(-1), { type: 'message_stop', 'amazon-bedrock-invocationMetrics': { outputTokenCount: Number } })
})

t.test('CountTokens, ApplyGuardrail and the async-invoke operations answer in their service-model shapes', async (t) => {
  t.match(await client.send(new CountTokensCommand({ modelId: CLAUDE, input: { converse: { messages: MESSAGES } } })), { inputTokens: Number })
  t.match(await client.send(new ApplyGuardrailCommand({ guardrailIdentifier: 'abc123def456', guardrailVersion: '1', source: 'INPUT', content: [{ text: { text: 'hi' } }] })), { action: 'NONE' })
  t.match(await client.send(new StartAsyncInvokeCommand({ modelId: 'amazon.nova-reel-v1:0', modelInput: {}, outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://b/o/' } } })), { invocationArn: /^arn:aws:bedrock:/ })
  t.match(await client.send(new ListAsyncInvokesCommand({})), { asyncInvokeSummaries: [] })
})

t.test('a request that is no Bedrock operation gets a Bedrock-shaped ValidationException', async (t) => {
  const response = await fetch(`${simulator.url}/nothing/here`, { method: 'POST' })
  t.equal(response.status, 400)
  t.equal(response.headers.get('x-amzn-errortype'), 'ValidationException')
  t.match(await response.json(), { message: /^The simulator cannot answer this request/ })
})
