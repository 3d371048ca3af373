import t from 'tap'
import fc from 'fast-check'
import { lowerCaseHeaderName } from '../../src/bedrock/lower-case-header-name.ts'

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
