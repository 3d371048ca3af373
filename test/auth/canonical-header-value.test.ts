import t from 'tap'
import { canonicalHeaderValue } from '../../src/auth/canonical-header-value.ts'

t.test('outer whitespace is trimmed and inner runs collapse to one space, quotes or not', async (t) => {
  t.equal(canonicalHeaderValue('  "a   b   c"  '), '"a b c"')
})

t.test('tabs count as whitespace', async (t) => {
  t.equal(canonicalHeaderValue('\ta\t \tb\t'), 'a b')
})

t.test('a value that is only whitespace becomes empty', async (t) => {
  t.equal(canonicalHeaderValue(' \t '), '')
})

t.test('a plain value is unchanged', async (t) => {
  t.equal(canonicalHeaderValue('application/json'), 'application/json')
})

t.test('byte 0xA0 (part of a UTF-8 character) is not whitespace', async (t) => {
  t.equal(canonicalHeaderValue('a\xc2\xa0 b'), 'a\xc2\xa0 b')
})
