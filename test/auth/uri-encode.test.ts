import t from 'tap'
import { uriEncode } from '../../src/auth/uri-encode.ts'

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
