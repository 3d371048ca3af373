import t from 'tap'
import { percentDecodeBytes, uriEncode } from '../../src/sigv4/encoding.ts'

t.test('unreserved characters pass unchanged', async (t) => {
  t.equal(uriEncode('AZaz09-._~'), 'AZaz09-._~')
})

t.test('every other byte becomes %XX with upper-case hex', async (t) => {
  t.equal(uriEncode(' %/:\x00\xff'), '%20%25%2F%3A%00%FF')
})

t.test('a char wider than a byte is encoded as its UTF-8', async (t) => {
  t.equal(uriEncode('\u1234'), '%E1%88%B4')
})

t.test('a character outside the BMP is encoded as its four UTF-8 bytes', async (t) => {
  t.equal(uriEncode('a\u{1F600}b'), 'a%F0%9F%98%80b')
})

t.test('escapes decode to the bytes they name, in either case', async (t) => {
  t.equal(percentDecodeBytes('%41%e1%88%B4'), 'A\xe1\x88\xb4')
})

t.test('a % that starts no valid escape is kept', async (t) => {
  t.equal(percentDecodeBytes('100%-%zz%4'), '100%-%zz%4')
})

t.test('each escape is decoded once only', async (t) => {
  t.equal(percentDecodeBytes('%253A'), '%3A')
})
