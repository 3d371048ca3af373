import t from 'tap'
import fc from 'fast-check'
import { isHeaderNamed, lowerCaseHeaderName } from '../../src/bedrock/lower-case-header-name.ts'

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
