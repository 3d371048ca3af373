import t from 'tap'
import fc from 'fast-check'
import { isHeaderNamed, lowerCaseHeaderName, mediaTypeOf, singleHeaderValue } from '../../src/bedrock/headers.ts'

const NAME = 'x-amzn-bedrock-guardrailidentifier'

t.test('finds a header whatever the case of its name', async (t) => {
  t.same(singleHeaderValue({ [NAME]: 'abc' }, NAME), { ok: true, value: 'abc' })
  t.same(singleHeaderValue({ 'X-Amzn-Bedrock-GuardrailIdentifier': 'abc' }, NAME), { ok: true, value: 'abc' })
})

t.test('an absent header has no value', async (t) => {
  t.same(singleHeaderValue({ other: 'x', [NAME]: undefined }, NAME), { ok: true })
})

t.test('refuses a header sent more than once', async (t) => {
  t.notOk(singleHeaderValue({ [NAME]: ['a', 'b'] }, NAME).ok)
  t.notOk(singleHeaderValue({ [NAME]: 'a', 'X-Amzn-Bedrock-GuardrailIdentifier': 'b' }, NAME).ok)
})

t.test('a header inherited from the prototype of the headers object is not read', async (t) => {
  const headers = Object.create({ [NAME]: 'abc' }) as Record<string, string>
  t.same(singleHeaderValue(headers, NAME), { ok: true })
})

t.test('a name already in lower case comes back as it is', async (t) => {
  t.equal(lowerCaseHeaderName('x-amzn-bedrock-guardrailidentifier'), 'x-amzn-bedrock-guardrailidentifier')
  t.equal(lowerCaseHeaderName(':authority'), ':authority')
})

t.test('capitals and characters outside ASCII fold as toLowerCase folds them', async (t) => {
  t.equal(lowerCaseHeaderName('Content-Type'), 'content-type')
  // The Kelvin sign lower-cases to an ASCII k, so it must not be mistaken for a name that needs no folding.
  t.equal(lowerCaseHeaderName('x-amzn-bedroc\u212a-trace'), 'x-amzn-bedrock-trace')
})

t.test('any string gives exactly what toLowerCase gives', async (t) => {
  fc.assert(fc.property(fc.string({ unit: 'binary' }), (name) => lowerCaseHeaderName(name) === name.toLowerCase()))
  t.pass()
})

t.test('a header name is recognised whatever the case of its spelling', async (t) => {
  t.ok(isHeaderNamed('x-amzn-bedrock-trace', 'x-amzn-bedrock-trace'))
  t.ok(isHeaderNamed('X-Amzn-Bedrock-Trace', 'x-amzn-bedrock-trace'))
  t.ok(isHeaderNamed('x-amzn-bedroc\u212a-trace', 'x-amzn-bedrock-trace'))
  t.notOk(isHeaderNamed('x-amzn-bedrock-traces', 'x-amzn-bedrock-trace'))
})

t.test('no character lower-cases to ASCII text of another length, so names of another length can be skipped', async (t) => {
  // Checked on the running engine for every code point: isHeaderNamed relies on it.
  const counterexamples: string[] = []
  for (let codePoint = 0; codePoint <= 0x10ffff; codePoint++) {
    if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue
    const char = String.fromCodePoint(codePoint)
    const lower = char.toLowerCase()
    const ascii = [...lower].every((unit) => unit.charCodeAt(0) < 0x80)
    if (ascii && lower.length !== char.length) counterexamples.push(codePoint.toString(16))
  }
  t.same(counterexamples, [])
})

t.test('the media type is the part before any parameter, trimmed and lower-cased', async (t) => {
  t.equal(mediaTypeOf('application/json'), 'application/json')
  t.equal(mediaTypeOf('Application/JSON; charset=utf-8'), 'application/json')
  t.equal(mediaTypeOf(' application/vnd.amazon.eventstream ;x=1'), 'application/vnd.amazon.eventstream')
})

t.test('an empty content type or one with only parameters has an empty media type', async (t) => {
  t.equal(mediaTypeOf(''), '')
  t.equal(mediaTypeOf('; charset=utf-8'), '')
})
