import t from 'tap'
import { connect } from 'node:net'
import {
  ApplyGuardrailCommand,
  ConverseCommand,
  CountTokensCommand,
  GetAsyncInvokeCommand,
  InvokeModelCommand,
  ListAsyncInvokesCommand,
  StartAsyncInvokeCommand
} from '@aws-sdk/client-bedrock-runtime'
import {
  FAKE_LATENCY_MS,
  anthropicMessage,
  countInputTokens,
  countOutputTokens,
  fakeEmbedding,
  runtimeClientFor,
  sendSigned,
  startFakeBedrock
} from '../support/fake-bedrock/index.ts'

const CLAUDE = 'anthropic.claude-3-5-sonnet-20241022-v2:0'
const APP_PROFILE_ARN = 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abcdef012345'

t.test('the real SDK gets a Converse reply carrying exactly the fake\'s text and token counts', async t => {
  const fake = await startFakeBedrock({ replyText: 'Paris is the capital of France.' })
  t.teardown(() => fake.close())
  const reply = await runtimeClientFor(fake.url).send(new ConverseCommand({
    modelId: CLAUDE,
    messages: [{ role: 'user', content: [{ text: 'Capital of France?' }] }]
  }))
  const [request] = await fake.waitForRequests(1)
  const inputTokens = countInputTokens(request?.body ?? Buffer.alloc(0))
  t.same(reply.output?.message?.content, [{ text: 'Paris is the capital of France.' }])
  t.equal(reply.stopReason, 'end_turn')
  t.same(reply.usage, { inputTokens, outputTokens: 6, totalTokens: inputTokens + 6 })
  t.same(reply.metrics, { latencyMs: FAKE_LATENCY_MS })
  t.equal(fake.lastResponseText, 'Paris is the capital of France.')
})

t.test('records the request as received: operation, region from the scope, verified signature, raw path', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  await runtimeClientFor(fake.url, { region: 'eu-west-2' }).send(new ConverseCommand({
    modelId: APP_PROFILE_ARN,
    messages: [{ role: 'user', content: [{ text: 'hi' }] }]
  }))
  const [request] = await fake.waitForRequests(1)
  t.match(request, {
    method: 'POST',
    path: '/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A111122223333%3Aapplication-inference-profile%2Fabcdef012345/converse',
    operation: 'Converse',
    region: 'eu-west-2',
    signature: { ok: true, accessKeyId: 'AKIDFAKEUPSTREAM0001', region: 'eu-west-2' },
    response: { status: 200 }
  })
  t.equal(request?.headers['content-type'], 'application/json')
})

t.test('InvokeModel on an Anthropic model returns the messages-format body and Bedrock\'s usage headers', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  const body = JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] })
  const client = runtimeClientFor(fake.url)
  let responseHeaders: Record<string, string> = {}
  client.middlewareStack.add(next => async args => {
    const result = await next(args)
    responseHeaders = (result.response as { headers: Record<string, string> }).headers
    return result
  }, { step: 'deserialize' })
  const reply = await client.send(new InvokeModelCommand({ modelId: CLAUDE, body, contentType: 'application/json' }))
  const [request] = await fake.waitForRequests(1)
  const expected = anthropicMessage({ text: fake.replyText, inputTokens: countInputTokens(Buffer.from(body)) }, CLAUDE, request?.requestId ?? '')
  t.same(JSON.parse(Buffer.from(reply.body).toString('utf8')), expected)
  t.equal(reply.contentType, 'application/json')
  t.equal(responseHeaders['x-amzn-bedrock-input-token-count'], String(countInputTokens(Buffer.from(body))))
  t.equal(responseHeaders['x-amzn-bedrock-output-token-count'], String(countOutputTokens(fake.replyText)))
  t.equal(responseHeaders['x-amzn-bedrock-invocation-latency'], String(FAKE_LATENCY_MS))
  t.equal(responseHeaders['x-amzn-requestid'], request?.requestId)
})

t.test('InvokeModel on a Titan embedding model returns a deterministic embedding of the input text', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  const body = JSON.stringify({ inputText: 'geofence', dimensions: 256 })
  const reply = await runtimeClientFor(fake.url).send(new InvokeModelCommand({ modelId: 'amazon.titan-embed-text-v2:0', body }))
  t.same(JSON.parse(Buffer.from(reply.body).toString('utf8')), {
    embedding: fakeEmbedding('geofence', 256),
    inputTextTokenCount: countInputTokens(Buffer.from(body))
  })
})

t.test('InvokeModel on a Cohere embedding model returns one embedding per text', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  const body = JSON.stringify({ texts: ['a', 'b'], input_type: 'search_document' })
  const reply = await runtimeClientFor(fake.url).send(new InvokeModelCommand({ modelId: 'cohere.embed-english-v3', body }))
  const parsed = JSON.parse(Buffer.from(reply.body).toString('utf8')) as { embeddings: number[][], texts: string[] }
  t.same(parsed.embeddings, [fakeEmbedding('a', 1024), fakeEmbedding('b', 1024)])
  t.same(parsed.texts, ['a', 'b'])
})

t.test('CountTokens counts the decoded InvokeModel body as InvokeModel itself would', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  const body = Buffer.from(JSON.stringify({ anthropic_version: 'bedrock-2023-05-31', max_tokens: 10, messages: [{ role: 'user', content: 'count me' }] }))
  const reply = await runtimeClientFor(fake.url).send(new CountTokensCommand({ modelId: CLAUDE, input: { invokeModel: { body } } }))
  t.equal(reply.inputTokens, countInputTokens(body))
})

t.test('ApplyGuardrail answers action NONE with outputs, assessments and usage', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  const reply = await runtimeClientFor(fake.url).send(new ApplyGuardrailCommand({
    guardrailIdentifier: 'gr0123456789',
    guardrailVersion: 'DRAFT',
    source: 'INPUT',
    content: [{ text: { text: 'hello guardrail' } }]
  }))
  t.equal(reply.action, 'NONE')
  t.same(reply.outputs, [])
  t.equal(reply.assessments?.length, 1)
  t.match(reply.usage, { topicPolicyUnits: 1, contentPolicyUnits: 1, sensitiveInformationPolicyFreeUnits: 0 })
  t.equal(fake.requests[0]?.operation, 'ApplyGuardrail')
})

t.test('StartAsyncInvoke gives an ARN that GetAsyncInvoke and ListAsyncInvokes then report', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  const client = runtimeClientFor(fake.url, { region: 'us-west-2' })
  const started = await client.send(new StartAsyncInvokeCommand({
    modelId: 'amazon.nova-reel-v1:0',
    modelInput: { taskType: 'TEXT_VIDEO' },
    outputDataConfig: { s3OutputDataConfig: { s3Uri: 's3://bucket/out/' } }
  }))
  t.match(started.invocationArn, /^arn:aws:bedrock:us-west-2:111122223333:async-invoke\/[a-z0-9]{12}$/)
  const fetched = await client.send(new GetAsyncInvokeCommand({ invocationArn: started.invocationArn }))
  t.equal(fetched.modelArn, 'arn:aws:bedrock:us-west-2::foundation-model/amazon.nova-reel-v1:0')
  t.equal(fetched.status, 'InProgress')
  t.ok(fetched.submitTime instanceof Date)
  t.same(fetched.outputDataConfig, { s3OutputDataConfig: { s3Uri: 's3://bucket/out/' } })
  const listed = await client.send(new ListAsyncInvokesCommand({}))
  t.same(listed.asyncInvokeSummaries?.map(summary => summary.invocationArn), [started.invocationArn])
})

t.test('GetAsyncInvoke of an unknown ARN is ResourceNotFoundException', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  await t.rejects(runtimeClientFor(fake.url).send(new GetAsyncInvokeCommand({
    invocationArn: 'arn:aws:bedrock:us-east-1:111122223333:async-invoke/aaaaaaaaaaaa'
  })), { name: 'ResourceNotFoundException', $metadata: { httpStatusCode: 404 } })
})

t.test('a body that is not JSON gets ValidationException', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  await t.rejects(runtimeClientFor(fake.url).send(new InvokeModelCommand({ modelId: CLAUDE, body: '{not json' })),
    { name: 'ValidationException', $metadata: { httpStatusCode: 400 } })
})

t.test('an unknown path gets 404 UnknownOperationException in Bedrock\'s error shape', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  const response = await sendSigned(fake.url, {
    method: 'POST',
    path: '/model/arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/abcdef012345/converse',
    region: 'us-east-1',
    headers: { 'content-type': 'application/json' },
    body: '{}'
  })
  t.equal(response.status, 404)
  t.equal(response.headers['x-amzn-errortype'], 'UnknownOperationException')
  t.match(JSON.parse(response.body.toString('utf8')), { message: /No bedrock-runtime operation/ })
})

t.test('configure changes the reply for later requests and reset restores it', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  const client = runtimeClientFor(fake.url)
  const converse = async (): Promise<string | undefined> => (await client.send(new ConverseCommand({
    modelId: CLAUDE, messages: [{ role: 'user', content: [{ text: 'x' }] }]
  }))).output?.message?.content?.[0]?.text
  fake.configure({ replyText: 'changed' })
  t.equal(await converse(), 'changed')
  fake.reset()
  t.equal(fake.requests.length, 0)
  t.equal(await converse(), fake.replyText)
  t.not(fake.replyText, 'changed')
})

t.test('a sender that disconnects mid-body is recorded with what arrived, and the fake keeps serving', async t => {
  const fake = await startFakeBedrock()
  t.teardown(() => fake.close())
  const socket = connect(fake.port, '127.0.0.1')
  await new Promise(resolve => socket.once('connect', resolve))
  socket.write('POST /model/m/converse HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"messages":')
  await new Promise(resolve => setTimeout(resolve, 50))
  socket.destroy()
  const record = await fake.waitForClose(0)
  t.match(record, { bodyComplete: false, response: undefined })
  t.equal(record.body.toString('utf8'), '{"messages":')
  const reply = await runtimeClientFor(fake.url).send(new ConverseCommand({ modelId: CLAUDE, messages: [{ role: 'user', content: [{ text: 'x' }] }] }))
  t.equal(reply.output?.message?.content?.[0]?.text, fake.replyText)
})

t.test('recordRequests: false answers as usual but keeps no records', async t => {
  const fake = await startFakeBedrock({ recordRequests: false })
  t.teardown(() => fake.close())
  const reply = await runtimeClientFor(fake.url).send(new ConverseCommand({ modelId: CLAUDE, messages: [{ role: 'user', content: [{ text: 'x' }] }] }))
  t.equal(reply.output?.message?.content?.[0]?.text, fake.replyText)
  t.equal(fake.requests.length, 0)
})
