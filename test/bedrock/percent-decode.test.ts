import t from 'tap'
import { percentDecodeOnce } from '../../src/bedrock/percent-decode.ts'

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
