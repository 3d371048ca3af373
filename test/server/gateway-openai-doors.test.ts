import t, { type Test } from 'tap'
import { FAKE_UPSTREAM_CREDENTIALS, sendRaw, sendSigned, type RawResponse } from '../support/fake-bedrock/index.ts'
import { BEARER_CLIENT, SIGV4_CLIENT } from '../support/gateway-harness.ts'
import { DOOR_MODELS, startDoorsHarness } from '../support/doors-harness.ts'

const MESSAGES = [{ role: 'user', content: 'What is the capital of France?' }]

function bearerPost (url: string, path: string, body: object | string): Promise<RawResponse> {
  return sendRaw(url, {
    method: 'POST',
    path,
    headers: { authorization: `Bearer ${BEARER_CLIENT.apiKey}`, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body)
  })
}

function errorOf (response: RawResponse): { __type?: string, message?: string } {
  return JSON.parse(response.body.toString('utf8')) as { __type?: string, message?: string }
}

function refusedBefore (t: Test, response: RawResponse, status: number, reason: RegExp, upstreamRequests: number): void {
  t.equal(response.status, status)
  t.match(errorOf(response).message, reason)
  t.equal(upstreamRequests, 0, 'nothing reached upstream')
}

t.test('runtime Chat Completions: the body model is decided and the call forwarded to the runtime, signed for bedrock', async (t) => {
  const { runtime, mantle, gateway } = await startDoorsHarness(t)
  const body = JSON.stringify({ model: DOOR_MODELS.gptOss, messages: MESSAGES })
  const response = await bearerPost(gateway.url, '/us-west-2/openai/v1/chat/completions', body)
  t.equal(response.status, 200)
  t.equal((JSON.parse(response.body.toString('utf8')) as { choices: [{ message: { content: string } }] }).choices[0].message.content, runtime.replyText)
  const [record] = runtime.requests
  t.equal(record?.path, '/openai/v1/chat/completions')
  t.equal(record?.body.toString('utf8'), body, 'the body reaches Bedrock byte for byte')
  t.match(record?.signature, { ok: true, accessKeyId: FAKE_UPSTREAM_CREDENTIALS.accessKeyId, region: 'us-west-2' })
  t.equal(mantle.requests.length, 0)
})

t.test('runtime Chat Completions with "stream": true relays the Server-Sent Events exactly as the runtime sent them', async (t) => {
  const { runtime, gateway } = await startDoorsHarness(t)
  const response = await bearerPost(gateway.url, '/us-east-1/openai/v1/chat/completions', { model: DOOR_MODELS.gptOss, messages: MESSAGES, stream: true })
  t.equal(response.status, 200)
  t.match(response.headers['content-type'], /^text\/event-stream/)
  const text = response.body.toString('utf8')
  t.match(text, /data: \[DONE\]\n\n$/)
  t.equal(text.split('\n\n').length - 1, (runtime.requests[0]?.response?.framesSent ?? 0), 'every event arrived, whole')
})

t.test('runtime Responses is forwarded to /openai/v1/responses', async (t) => {
  const { runtime, gateway } = await startDoorsHarness(t)
  const response = await bearerPost(gateway.url, '/us-east-1/openai/v1/responses', { model: DOOR_MODELS.gptOss, input: 'hi', stream: true })
  t.equal(response.status, 200)
  t.match(response.body.toString('utf8'), /event: response.completed/)
  t.equal(runtime.requests[0]?.path, '/openai/v1/responses')
})

t.test('a us.openai profile is refused in catalog mode: AWS publishes no destinations for it', async (t) => {
  const { runtime, gateway } = await startDoorsHarness(t)
  // From us-east-2 the catalog's `us` row stays inside the allowlist: only the missing destinations refuse it.
  const response = await bearerPost(gateway.url, '/us-east-2/openai/v1/chat/completions', { model: DOOR_MODELS.usGpt, messages: MESSAGES })
  refusedBefore(t, response, 403, /ROUTING_UNVERIFIED: body\.model "us\.openai\.gpt-5\.6-sol": AWS publishes no destination regions/, runtime.requests.length)
})

t.test('global. and eu. models in the body are refused with the classic reasons', async (t) => {
  const { runtime, gateway } = await startDoorsHarness(t)
  const global = await bearerPost(gateway.url, '/us-east-1/openai/v1/chat/completions', { model: DOOR_MODELS.globalGpt, messages: MESSAGES })
  refusedBefore(t, global, 403, /GLOBAL_PROFILE_NOT_ALLOWED/, runtime.requests.length)
  const eu = await bearerPost(gateway.url, '/eu-west-2/openai/v1/responses', { model: DOOR_MODELS.euGpt, input: 'hi' })
  refusedBefore(t, eu, 403, /PROFILE_PREFIX_NOT_ALLOWED/, runtime.requests.length)
})

t.test('a model in a region outside the allowlist is refused', async (t) => {
  const { runtime, gateway } = await startDoorsHarness(t)
  const response = await bearerPost(gateway.url, '/eu-west-1/openai/v1/chat/completions', { model: DOOR_MODELS.gptOss, messages: MESSAGES })
  refusedBefore(t, response, 403, /REGION_NOT_ALLOWED/, runtime.requests.length)
})

t.test('a body that names its model twice, in another case, or not as a string is malformed', async (t) => {
  const { runtime, mantle, gateway } = await startDoorsHarness(t)
  const bodies = [
    `{"model":"${DOOR_MODELS.gptOss}","messages":[],"model":"${DOOR_MODELS.globalGpt}"}`,
    `{"model":"${DOOR_MODELS.gptOss}","Model":"${DOOR_MODELS.globalGpt}","messages":[]}`,
    '{"model":["openai.gpt-oss-20b-1:0"],"messages":[]}',
    '{"model":null,"messages":[]}',
    '{"messages":[]}',
    `{"model":"${DOOR_MODELS.gptOss}","stream":"true"}`,
    `{"model":"${DOOR_MODELS.gptOss}","stream":false,"stream":true}`
  ]
  for (const body of bodies) {
    const response = await bearerPost(gateway.url, '/us-east-1/openai/v1/chat/completions', body)
    t.equal(response.status, 400, body)
    t.equal(errorOf(response).__type, 'ValidationException', body)
  }
  const mantleTwice = await bearerPost(gateway.url, '/us-east-1/mantle/v1/chat/completions',
    `{"model":"${DOOR_MODELS.mantleGpt}","model":"${DOOR_MODELS.unlistedMantle}"}`)
  t.equal(mantleTwice.status, 400)
  t.equal(runtime.requests.length + mantle.requests.length, 0, 'nothing reached upstream')
})

t.test('/mantle/... reaches bedrock-mantle without the prefix, signed for bedrock-mantle; /openai/... reaches the runtime', async (t) => {
  const { runtime, mantle, gateway } = await startDoorsHarness(t)
  for (const path of ['/v1/chat/completions', '/openai/v1/chat/completions', '/v1/responses', '/openai/v1/responses']) {
    const response = await bearerPost(gateway.url, `/us-east-2/mantle${path}`, { model: DOOR_MODELS.mantleGpt, input: 'hi', messages: MESSAGES })
    t.equal(response.status, 200, path)
    t.equal(mantle.requests.at(-1)?.path, path)
    t.match(mantle.requests.at(-1)?.signature, { ok: true, region: 'us-east-2' })
  }
  t.equal(runtime.requests.length, 0)
})

t.test('Anthropic messages at the root and under /mantle both reach bedrock-mantle', async (t) => {
  const { mantle, gateway } = await startDoorsHarness(t)
  for (const path of ['/us-east-1/anthropic/v1/messages', '/us-east-1/mantle/anthropic/v1/messages']) {
    const response = await bearerPost(gateway.url, path, { model: DOOR_MODELS.mantleClaude, max_tokens: 10, messages: MESSAGES, stream: true })
    t.equal(response.status, 200)
    t.match(response.body.toString('utf8'), /event: message_stop/)
  }
  const count = await bearerPost(gateway.url, '/us-east-1/anthropic/v1/messages/count_tokens', { model: DOOR_MODELS.mantleClaude, messages: MESSAGES })
  t.equal(count.status, 200)
  t.same(mantle.requests.map((record) => record.path), ['/anthropic/v1/messages', '/anthropic/v1/messages', '/anthropic/v1/messages/count_tokens'])
})

t.test('a mantle model not in allow.mantleModels is refused: AWS does not document where mantle runs it', async (t) => {
  const { mantle, gateway } = await startDoorsHarness(t)
  const response = await bearerPost(gateway.url, '/us-east-1/anthropic/v1/messages', { model: DOOR_MODELS.unlistedMantle, max_tokens: 10, messages: MESSAGES })
  refusedBefore(t, response, 403, /ROUTING_UNVERIFIED: body\.model "anthropic\.claude-sonnet-4-6": AWS does not document where bedrock-mantle runs/, mantle.requests.length)
})

t.test('a SigV4 caller may sign mantle calls for bedrock-mantle or bedrock, and runtime calls for bedrock only', async (t) => {
  const { mantle, runtime, gateway } = await startDoorsHarness(t)
  const body = JSON.stringify({ model: DOOR_MODELS.mantleGpt, messages: MESSAGES })
  for (const service of ['bedrock-mantle', 'bedrock']) {
    const response = await sendSigned(gateway.url, { method: 'POST', path: '/mantle/v1/chat/completions', region: 'us-east-1', credentials: SIGV4_CLIENT, service, headers: { 'content-type': 'application/json' }, body })
    t.equal(response.status, 200, service)
  }
  t.equal(mantle.requests.length, 2)
  const runtimeBody = JSON.stringify({ model: DOOR_MODELS.gptOss, messages: MESSAGES })
  const wrong = await sendSigned(gateway.url, { method: 'POST', path: '/openai/v1/chat/completions', region: 'us-east-1', credentials: SIGV4_CLIENT, service: 'bedrock-mantle', headers: { 'content-type': 'application/json' }, body: runtimeBody })
  t.equal(wrong.status, 403)
  t.match(errorOf(wrong).message, /Credential should be scoped to correct service: 'bedrock'/)
  t.equal(runtime.requests.length, 0)
})

t.test('upstream.mantleSigningName: bedrock signs mantle calls for bedrock', async (t) => {
  const { mantle, gateway } = await startDoorsHarness(t, { mantleSigningName: 'bedrock' })
  const response = await bearerPost(gateway.url, '/us-east-1/mantle/v1/chat/completions', { model: DOOR_MODELS.mantleGpt, messages: MESSAGES })
  t.equal(response.status, 200)
  t.match(mantle.requests[0]?.signature, { ok: true })
})

t.test('an OpenAI stream broken off upstream ends with an OpenAI error event after the last whole event', async (t) => {
  const { runtime, gateway } = await startDoorsHarness(t)
  runtime.setFault({ kind: 'reset', afterFrames: 2 })
  const response = await bearerPost(gateway.url, '/us-east-1/openai/v1/chat/completions', { model: DOOR_MODELS.gptOss, messages: MESSAGES, stream: true })
  t.equal(response.status, 200)
  const events = response.body.toString('utf8').split('\n\n').filter((event) => event !== '')
  t.equal(events.length, 3, 'two whole events, then the error')
  const last = JSON.parse((events.at(-1) ?? '').replace(/^data: /, '')) as { error: { type: string, message: string } }
  t.equal(last.error.type, 'server_error')
  t.match(last.error.message, /Gateway request id/)
})

t.test('an Anthropic stream broken off upstream ends with an Anthropic error event', async (t) => {
  const { mantle, gateway } = await startDoorsHarness(t)
  mantle.setFault({ kind: 'reset', afterFrames: 3 })
  const response = await bearerPost(gateway.url, '/us-east-1/anthropic/v1/messages', { model: DOOR_MODELS.mantleClaude, max_tokens: 10, messages: MESSAGES, stream: true })
  const events = response.body.toString('utf8').split('\n\n').filter((event) => event !== '')
  t.equal(events.length, 4)
  t.match(events.at(-1), /^event: error\ndata: \{"type":"error","error":\{"type":"api_error","message":/)
})

t.test('a streamed call counts against limits.maxConcurrentStreams; the same call without stream does not', async (t) => {
  const { runtime, gateway } = await startDoorsHarness(t, { limitsYaml: 'limits: { maxConcurrentStreams: 1 }' })
  runtime.setFault({ kind: 'hang', afterFrames: 1 })
  const hanging = new AbortController()
  const first = fetch(`${gateway.url}/us-east-1/openai/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${BEARER_CLIENT.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: DOOR_MODELS.gptOss, messages: MESSAGES, stream: true }),
    signal: hanging.signal
  })
  const started = await first
  t.equal(started.status, 200)
  const second = await bearerPost(gateway.url, '/us-east-1/openai/v1/chat/completions', { model: DOOR_MODELS.gptOss, messages: MESSAGES, stream: true })
  t.equal(second.status, 503, 'a second stream is shed')
  runtime.setFault(undefined)
  const plain = await bearerPost(gateway.url, '/us-east-1/openai/v1/chat/completions', { model: DOOR_MODELS.gptOss, messages: MESSAGES })
  t.equal(plain.status, 200, 'a call that does not stream is not')
  hanging.abort()
  await started.body?.cancel().catch(() => undefined)
})

t.test('token usage of streamed and plain answers on every door feeds the token metrics', async (t) => {
  const { gateway } = await startDoorsHarness(t)
  await bearerPost(gateway.url, '/us-east-1/openai/v1/chat/completions', { model: DOOR_MODELS.gptOss, messages: MESSAGES, stream: true })
  await bearerPost(gateway.url, '/us-east-1/openai/v1/responses', { model: DOOR_MODELS.gptOss, input: 'hi' })
  await bearerPost(gateway.url, '/us-east-1/anthropic/v1/messages', { model: DOOR_MODELS.mantleClaude, max_tokens: 10, messages: MESSAGES, stream: true })
  const metrics = await (await fetch(`${gateway.adminUrl}/metrics`)).text()
  for (const model of [DOOR_MODELS.gptOss, DOOR_MODELS.mantleClaude]) {
    for (const direction of ['input', 'output']) {
      t.match(metrics, new RegExp(`tokens_total\\{[^}]*model="${model.replaceAll('.', '\\.')}"[^}]*direction="${direction}"[^}]*\\} [1-9]`), `${model} ${direction}`)
    }
  }
})
