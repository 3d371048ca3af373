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
