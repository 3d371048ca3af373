import t from 'tap'
import { routeRequest, understandRequest, understandRoutedRequest } from '../../src/bedrock/request.ts'
import { BEDROCK_SERVICE } from '../../src/bedrock/service.ts'

const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value))

function understand (target: string, body: unknown): ReturnType<typeof understandRequest> {
  return understandRequest({ method: 'POST', target, headers: {}, body: json(body) })
}

t.test('the runtime\'s Chat Completions names its body model and is sent upstream on the same path', async (t) => {
  const understood = understand('/openai/v1/chat/completions', { model: 'openai.gpt-oss-20b-1:0' })
  t.match(understood, { ok: true, operation: 'OpenAIChatCompletions', api: 'bedrock-runtime', upstreamPath: '/openai/v1/chat/completions', streams: false, sse: 'openai' })
  if (understood.ok) t.same(understood.identifiers.map(({ location, id }) => [location, id.kind, id.text]), [['body.model', 'foundation-model', 'openai.gpt-oss-20b-1:0']])
})

t.test('"stream": true makes the call stream', async (t) => {
  t.match(understand('/openai/v1/responses', { model: 'openai.gpt-oss-20b-1:0', stream: true }), { ok: true, operation: 'OpenAIResponses', streams: true })
})

t.test('mantle paths are matched behind /mantle and sent upstream without it', async (t) => {
  for (const [path, operation] of [['/v1/chat/completions', 'MantleChatCompletions'], ['/openai/v1/chat/completions', 'MantleOpenAIChatCompletions'],
    ['/v1/responses', 'MantleResponses'], ['/openai/v1/responses', 'MantleOpenAIResponses'], ['/anthropic/v1/messages', 'MantleMessages'],
    ['/anthropic/v1/messages/count_tokens', 'MantleCountTokens']] as const) {
    t.match(understand(`/mantle${path}`, { model: 'openai.gpt-oss-120b' }), { ok: true, operation, api: 'bedrock-mantle', upstreamPath: path }, path)
  }
})

t.test('Anthropic\'s paths are mantle\'s at the root too, and their answers are Anthropic SSE', async (t) => {
  t.match(understand('/anthropic/v1/messages', { model: 'anthropic.claude-opus-4-8', stream: true }),
    { ok: true, operation: 'MantleMessages', upstreamPath: '/anthropic/v1/messages', streams: true, sse: 'anthropic' })
  t.match(understand('/anthropic/v1/messages/count_tokens', { model: 'anthropic.claude-opus-4-8' }), { ok: true, operation: 'MantleCountTokens' })
})

t.test('mantle\'s /v1 paths do not exist at the root', async (t) => {
  t.match(understand('/v1/chat/completions', { model: 'openai.gpt-oss-120b' }), { ok: false, decision: { reason: 'UNKNOWN_OPERATION' } })
})

t.test('the API of a path decides which signing names a caller may use', async (t) => {
  const namesFor = (method: string, target: string): readonly string[] => BEDROCK_SERVICE.signingNamesFor(routeRequest(method, target))
  t.same(namesFor('POST', '/mantle/v1/responses'), ['bedrock-mantle', 'bedrock'])
  t.same(namesFor('POST', '/openai/v1/responses?x=1'), ['bedrock'])
  t.same(namesFor('POST', '/anthropic/v1/messages'), ['bedrock-mantle', 'bedrock'])
  t.same(namesFor('POST', '/model/x/converse'), ['bedrock'])
  t.same(namesFor('POST', '/nothing'), ['bedrock'])
})

t.test('a mantle path refused before its route is read still holds the caller to mantle\'s signing names', async (t) => {
  const route = routeRequest('POST', '/mantle/v1/responses?x=1#fragment')
  t.match(route, { ok: false, decision: { reason: 'MALFORMED_REQUEST' }, api: 'bedrock-mantle' })
  t.same(BEDROCK_SERVICE.signingNamesFor(route), ['bedrock-mantle', 'bedrock'])
})

t.test('a route that fails on its identifier or query keeps its operation\'s API', async (t) => {
  t.match(routeRequest('POST', '/mantle/v1/responses?unexpected=1'), { ok: false, api: 'bedrock-mantle' })
  t.match(routeRequest('POST', '/model/a%ZZ/converse'), { ok: false, decision: { reason: 'MALFORMED_REQUEST' }, api: 'bedrock-runtime' })
})

t.test('a request understood from its route and then its body is understood as in one step', async (t) => {
  const body = json({ model: 'openai.gpt-oss-20b-1:0', stream: true })
  const route = routeRequest('POST', '/openai/v1/chat/completions')
  t.same(understandRoutedRequest(route, {}, () => body), understandRequest({ method: 'POST', target: '/openai/v1/chat/completions', headers: {}, body }))
})
