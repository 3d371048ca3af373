import t from 'tap'
import fc from 'fast-check'
import { understandRequest, type IncomingBedrockRequest } from '../../src/bedrock/request.ts'

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)
const request = (target: string, changes: Partial<IncomingBedrockRequest> = {}): IncomingBedrockRequest =>
  ({ method: 'POST', target, headers: {}, body: bytes('{}'), ...changes })

t.test('the upstream path re-encodes the checked id the way the AWS SDKs do', async (t) => {
  const raw = understandRequest(request('/model/us.anthropic.claude-v2:1/invoke'))
  const encoded = understandRequest(request('/model/us.anthropic.claude-v2%3a1/invoke'))
  t.same(raw.ok && raw.upstreamPath, '/model/us.anthropic.claude-v2%3A1/invoke')
  t.same(encoded.ok && encoded.upstreamPath, '/model/us.anthropic.claude-v2%3A1/invoke')
  const arn = understandRequest(request('/model/arn:aws:bedrock:us-east-1::foundation-model%2Fanthropic.x/converse'))
  t.same(arn.ok && arn.upstreamPath, '/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A%3Afoundation-model%2Fanthropic.x/converse')
})

t.test('identifiers come in the order of the operation table, each with its location', async (t) => {
  const understood = understandRequest(request('/model/anthropic.x/invoke', {
    headers: { 'x-amzn-bedrock-guardrailidentifier': 'abc' },
    body: bytes('opaque')
  }))
  t.same(understood.ok && understood.identifiers, [
    { location: 'path.modelId', id: { kind: 'foundation-model', text: 'anthropic.x' } },
    { location: 'header.x-amzn-bedrock-guardrailidentifier', id: { kind: 'guardrail-id', text: 'abc' } }
  ])
})

t.test('an empty query is no query; ListAsyncInvokes keeps a canonical one', async (t) => {
  const bare = understandRequest(request('/model/anthropic.x/invoke?'))
  t.same(bare.ok && bare.upstreamQuery, '')
  const list = understandRequest(request('/async-invoke?sortOrder=Ascending&maxResults=3', { method: 'GET' }))
  t.same(list.ok && [list.operation, list.upstreamPath, list.upstreamQuery], ['ListAsyncInvokes', '/async-invoke', 'maxResults=3&sortOrder=Ascending'])
})

t.test('a Converse body is read even without a guardrail, since it must be JSON', async (t) => {
  const understood = understandRequest(request('/model/anthropic.x/converse', { body: bytes('hello') }))
  t.same(!understood.ok && understood.decision.reason, 'MALFORMED_REQUEST')
})

t.test('refusals are decisions with reason codes, never exceptions', async (t) => {
  const unknown = understandRequest(request('/model/anthropic.x/explode'))
  t.same(!unknown.ok && [unknown.decision.allowed, unknown.decision.reason], [false, 'UNKNOWN_OPERATION'])
  const malformed = understandRequest(request('/model/anthropic.x%ZZ/invoke'))
  t.same(!malformed.ok && [malformed.decision.allowed, malformed.decision.reason], [false, 'MALFORMED_REQUEST'])
})

t.test('never throws, whatever arrives', async (t) => {
  const pathChar = fc.constantFrom('/', '%', '2', 'F', 'e', '.', ':', 'a', 'Z', '?', '&', '=', '#', '\u0000', '\u00e9', 'model', 'invoke', 'async-invoke', 'converse')
  fc.assert(fc.property(
    fc.constantFrom('POST', 'GET', 'PUT', ''),
    fc.array(pathChar, { maxLength: 40 }).map((parts) => parts.join('')),
    fc.oneof(fc.string(), fc.json()),
    fc.dictionary(fc.constantFrom('x-amzn-bedrock-guardrailidentifier', 'X-Amzn-Bedrock-GuardrailIdentifier', 'content-type'), fc.string()),
    (method, target, body, headers) => {
      for (const candidate of [target, `/model/${target}/converse`, `/async-invoke/${target}`]) {
        const understood = understandRequest({ method, target: candidate, headers, body: bytes(body) })
        if (!understood.ok && understood.decision.allowed) throw new Error('a refusal that allows')
      }
    }
  ))
  t.pass('no input made understandRequest throw')
})
