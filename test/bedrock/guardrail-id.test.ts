import t from 'tap'
import { parseGuardrailIdentifier } from '../../src/bedrock/guardrail-id.ts'

t.test('a plain guardrail id', async (t) => {
  t.same(parseGuardrailIdentifier('gr0abc123def'), { ok: true, id: { kind: 'guardrail-id', text: 'gr0abc123def' } })
})

t.test('a guardrail ARN, whose region the engine will check', async (t) => {
  const parsed = parseGuardrailIdentifier('arn:aws:bedrock:eu-west-3:111122223333:guardrail/gr0abc')
  t.same(parsed.ok && parsed.id.kind === 'arn' && parsed.id.arn.region, 'eu-west-3')
})

t.test('refuses anything else', async (t) => {
  for (const text of ['', 'GR0ABC', 'gr 0', 'gr0abc%2F', 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.x', 'arn:aws:bedrock:us-east-1:111122223333:guardrail/', 'a'.repeat(2049)]) {
    t.notOk(parseGuardrailIdentifier(text).ok, JSON.stringify(text.slice(0, 40)))
  }
})
