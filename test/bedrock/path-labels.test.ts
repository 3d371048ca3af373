import t from 'tap'
import { decodePathLabel } from '../../src/bedrock/path-labels.ts'
import { OPERATIONS } from '../../src/bedrock/operations.ts'

t.test('a model id label gets the model id checks, with the operation\'s length limit', async (t) => {
  t.same(decodePathLabel('modelId', 'us.a.b%3A0', OPERATIONS.Converse), { ok: true, value: 'us.a.b:0' })
  t.notOk(decodePathLabel('modelId', 'us.a.b%252F', OPERATIONS.Converse).ok)
  t.ok(decodePathLabel('modelId', `anthropic.${'a'.repeat(300)}`, OPERATIONS.Converse).ok)
  t.notOk(decodePathLabel('modelId', `anthropic.${'a'.repeat(300)}`, OPERATIONS.CountTokens).ok)
})

t.test('guardrail versions are a number without leading zeros, or DRAFT', async (t) => {
  for (const version of ['1', '12345678', 'DRAFT']) t.ok(decodePathLabel('guardrailVersion', version, OPERATIONS.ApplyGuardrail).ok, version)
  for (const version of ['0', '01', '123456789', 'draft', '']) t.notOk(decodePathLabel('guardrailVersion', version, OPERATIONS.ApplyGuardrail).ok, version)
})

t.test('identifier labels are decoded once', async (t) => {
  t.same(decodePathLabel('invocationArn', 'arn%3Aaws%2F', OPERATIONS.GetAsyncInvoke), { ok: true, value: 'arn:aws/' })
  t.same(decodePathLabel('guardrailIdentifier', 'abc', OPERATIONS.ApplyGuardrail), { ok: true, value: 'abc' })
})

t.test('a label the table does not know is refused', async (t) => {
  t.notOk(decodePathLabel('somethingElse', 'x', OPERATIONS.Converse).ok)
  t.notOk(decodePathLabel('__proto__', 'x', OPERATIONS.Converse).ok)
})
