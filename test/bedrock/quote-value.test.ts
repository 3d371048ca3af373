import t from 'tap'
import { quoteValue } from '../../src/bedrock/quote-value.ts'

t.test('quotes a plain value as it is', async (t) => {
  t.equal(quoteValue('us.anthropic.x'), '"us.anthropic.x"')
})

t.test('escapes quotes, backslashes, control and non-ASCII characters', async (t) => {
  t.equal(quoteValue('a"b\\c'), '"a\\"b\\\\c"')
  t.equal(quoteValue('a\nb\u0000'), '"a\\u000ab\\u0000"')
  t.equal(quoteValue('caf\u00e9 \u2028'), '"caf\\u00e9 \\u2028"')
})

t.test('shortens long values, escapes included, and marks the cut', async (t) => {
  t.equal(quoteValue('x'.repeat(1000)), `"${'x'.repeat(160)}..."`)
  const escaped = quoteValue('\n'.repeat(1000))
  t.ok(escaped.length < 200, `${escaped.length} characters`)
  t.match(escaped, /\.\.\."$/)
})
