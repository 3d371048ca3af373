import t from 'tap'
import {
  decodePathLabel,
  encodeLabel,
  holdsDotSegment,
  isDotSegment,
  percentDecodeOnce
} from '../../src/bedrock/path-labels.ts'
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

t.test('encodes a model id whole, as the AWS SDKs do', async (t) => {
  t.equal(encodeLabel('us.anthropic.claude-3-5-sonnet-20241022-v2:0'), 'us.anthropic.claude-3-5-sonnet-20241022-v2%3A0')
  t.equal(encodeLabel('arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.x.y'),
    'arn%3Aaws%3Abedrock%3Aus-east-1%3A111122223333%3Ainference-profile%2Fus.x.y')
})

t.test('also encodes the sub-delimiters encodeURIComponent leaves alone', async (t) => {
  t.equal(encodeLabel("a!b'c(d)e*f"), 'a%21b%27c%28d%29e%2Af')
})

t.test('leaves unreserved characters as they are', async (t) => {
  t.equal(encodeLabel('AZaz09-._~'), 'AZaz09-._~')
})

t.test('decodes escapes exactly once, in either hex case', async (t) => {
  t.same(percentDecodeOnce('a%3Ab%3ac'), { ok: true, value: 'a:b:c' })
  t.same(percentDecodeOnce('a%252F'), { ok: true, value: 'a%2F' }, 'a double-encoded slash decodes to %2F, not to /')
  t.same(percentDecodeOnce('plain:text'), { ok: true, value: 'plain:text' })
  t.same(percentDecodeOnce('%E2%82%AC'), { ok: true, value: '€' })
})

t.test('refuses invalid escapes', async (t) => {
  for (const raw of ['%', '%3', '%zz', 'a%g1', '%%41']) t.equal(percentDecodeOnce(raw).ok, false, raw)
})

t.test('refuses escapes that are not UTF-8', async (t) => {
  for (const raw of ['%C0%AF', '%FF', '%E2%82']) t.equal(percentDecodeOnce(raw).ok, false, raw)
})

t.test('refuses raw characters a client must encode', async (t) => {
  for (const raw of ['a b', 'a\u0000', 'a\n', 'caf\u00e9', 'a\u007f']) t.equal(percentDecodeOnce(raw).ok, false, JSON.stringify(raw))
})

t.test('empty, . and .. are dot segments', async (t) => {
  for (const segment of ['', '.', '..']) t.ok(isDotSegment(segment), JSON.stringify(segment))
})

t.test('anything else is not, dots inside a segment included', async (t) => {
  for (const segment of ['...', '.a', 'a.', 'us.anthropic.claude-v2:0', '%2E', ' ']) t.notOk(isDotSegment(segment), JSON.stringify(segment))
})

t.test('a list of segments holds a dot segment when any of them is one', async (t) => {
  t.ok(holdsDotSegment(['model', '..', 'invoke']))
  t.ok(holdsDotSegment(['model', 'x', '']))
  t.notOk(holdsDotSegment(['model', 'us.x.y', 'invoke']))
  t.notOk(holdsDotSegment([]))
})
