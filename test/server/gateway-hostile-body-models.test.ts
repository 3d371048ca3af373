import t from 'tap'
import { sendRaw, type RawResponse } from '../support/fake-bedrock/index.ts'
import { BEARER_CLIENT } from '../support/gateway-harness.ts'
import { DOOR_MODELS, startDoorsHarness } from '../support/doors-harness.ts'

// Model ids in a JSON body, sent by a caller trying to make the gateway read one model and Bedrock another: every
// such body is refused before anything goes upstream, and always with a Bedrock-shaped error.

const CHAT = '/us-east-1/openai/v1/chat/completions'
const MESSAGES = JSON.stringify([{ role: 'user', content: 'hi' }])

const harness = await startDoorsHarness(t, { limitsYaml: 'limits: { maxBodyBytes: 200000 }' })

function post (path: string, body: string | Buffer): Promise<RawResponse> {
  return sendRaw(harness.gateway.url, {
    method: 'POST',
    path,
    headers: { authorization: `Bearer ${BEARER_CLIENT.apiKey}`, 'content-type': 'application/json' },
    body
  })
}

function bedrockErrorOf (response: RawResponse): { __type?: string, message?: string } {
  return JSON.parse(response.body.toString('utf8')) as { __type?: string, message?: string }
}

const REFUSED: ReadonlyArray<readonly [title: string, body: string | Buffer, status: number, reason: RegExp]> = [
  ['a global model spelled with JSON escapes is decoded once and refused as global',
    `{"model":"\\u0067lobal.openai.gpt-5.6-sol","messages":${MESSAGES}}`, 403, /GLOBAL_PROFILE_NOT_ALLOWED/],
  ['a percent-encoded model id is not decoded again: it is malformed',
    `{"model":"global%2Eopenai.gpt-5.6-sol","messages":${MESSAGES}}`, 400, /MALFORMED_REQUEST/],
  ['the model key spelled with an escape repeats the model key', `{"model":"${DOOR_MODELS.gptOss}","mod\\u0065l":"${DOOR_MODELS.globalGpt}"}`, 400, /repeated/],
  ['a model key in upper case beside the model key', `{"model":"${DOOR_MODELS.gptOss}","MODEL":"${DOOR_MODELS.globalGpt}"}`, 400, /repeated/],
  ['a model key in mixed case before the model key', `{"mODEL":"${DOOR_MODELS.globalGpt}","model":"${DOOR_MODELS.gptOss}"}`, 400, /repeated|another case/],
  ['a model given as an object', `{"model":{"id":"${DOOR_MODELS.gptOss}"}}`, 400, /not a string/],
  ['a model given as a number', '{"model":42}', 400, /not a string/],
  ['a model given as a list of two', `{"model":["${DOOR_MODELS.gptOss}","${DOOR_MODELS.globalGpt}"]}`, 400, /not a string/],
  ['a body that is a JSON list', `[{"model":"${DOOR_MODELS.gptOss}"}]`, 400, /not a JSON object/],
  ['a body that is not UTF-8', Buffer.concat([Buffer.from('{"model":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]), 400, /UTF-8/],
  ['a body with a byte-order mark', `\ufeff{"model":"${DOOR_MODELS.gptOss}"}`, 400, /not valid JSON/],
  ['a model id with a control character', '{"model":"openai.gpt-oss-20b-1:0\\u0000"}', 400, /control characters/],
  ['a model id longer than Bedrock allows', `{"model":"openai.${'a'.repeat(3000)}"}`, 400, /longer than/],
  ['a model id that is an ARN in another region', '{"model":"arn:aws:bedrock:eu-west-1::foundation-model/openai.gpt-oss-20b-1:0"}', 403, /ARN_REGION_MISMATCH/],
  ['a stream flag given twice', `{"model":"${DOOR_MODELS.gptOss}","stream":true,"stream":false}`, 400, /repeated/],
  ['a huge body over limits.maxBodyBytes', `{"model":"${DOOR_MODELS.gptOss}","messages":[{"role":"user","content":"${'x'.repeat(300_000)}"}]}`, 413, /./]
]

for (const [title, body, status, reason] of REFUSED) {
  t.test(title, async (t) => {
    const before = harness.runtime.requests.length
    const response = await post(CHAT, body)
    t.equal(response.status, status)
    const error = bedrockErrorOf(response)
    t.type(error.__type, 'string', 'a Bedrock-shaped error')
    t.match(error.message, reason)
    t.equal(harness.runtime.requests.length, before, 'nothing reached Bedrock')
  })
}

t.test('a model named deep inside another member is not the model: only the top-level one is read', async (t) => {
  const nested = JSON.stringify({ model: DOOR_MODELS.gptOss, messages: [{ role: 'user', content: 'hi', model: DOOR_MODELS.globalGpt }], metadata: { model: DOOR_MODELS.euGpt } })
  const response = await post(CHAT, nested)
  t.equal(response.status, 200)
  t.equal(harness.runtime.requests.at(-1)?.body.toString('utf8'), nested, 'and the body Bedrock reads is the one decided')
})

t.test('deeply nested members around the model are skipped without being parsed twice', async (t) => {
  const deep = `{"messages":${'['.repeat(5000)}${']'.repeat(5000)},"model":"${DOOR_MODELS.globalGpt}"}`
  const response = await post(CHAT, deep)
  t.equal(response.status, 403)
  t.match(bedrockErrorOf(response).message, /GLOBAL_PROFILE_NOT_ALLOWED/)
})

t.test('a mantle body naming its model twice is refused before mantle sees it', async (t) => {
  const response = await post('/us-east-1/mantle/anthropic/v1/messages', `{"model":"${DOOR_MODELS.mantleClaude}","model":"${DOOR_MODELS.unlistedMantle}"}`)
  t.equal(response.status, 400)
  t.equal(harness.mantle.requests.length, 0)
})

t.test('a /mantle path is never read as the runtime, nor a runtime path as mantle', async (t) => {
  const mantleOnly = await post('/us-east-1/mantle/model/openai.gpt-oss-20b-1:0/converse', '{}')
  t.equal(mantleOnly.status, 404)
  const doubled = await post('/us-east-1/mantle/mantle/v1/chat/completions', `{"model":"${DOOR_MODELS.mantleGpt}"}`)
  t.equal(doubled.status, 404)
  const runtimeV1 = await post('/us-east-1/v1/chat/completions', `{"model":"${DOOR_MODELS.mantleGpt}"}`)
  t.equal(runtimeV1.status, 404, 'mantle\'s /v1 paths exist only under /mantle')
})
