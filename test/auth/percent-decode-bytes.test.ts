import t from 'tap'
import { percentDecodeBytes } from '../../src/auth/percent-decode-bytes.ts'

t.test('escapes decode to the bytes they name, in either case', async (t) => {
  t.equal(percentDecodeBytes('%41%e1%88%B4'), 'A\xe1\x88\xb4')
})

t.test('a % that starts no valid escape is kept', async (t) => {
  t.equal(percentDecodeBytes('100%-%zz%4'), '100%-%zz%4')
})

t.test('each escape is decoded once only', async (t) => {
  t.equal(percentDecodeBytes('%253A'), '%3A')
})
