import t from 'tap'
import { singleHeaderValue } from '../../src/bedrock/header-value.ts'

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
