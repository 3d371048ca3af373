import t from 'tap'
import { canonicalHeaders } from '../../src/auth/canonical-headers.ts'
import { indexHeaders } from '../../src/auth/index-headers.ts'
import { BedrockError } from '../../src/core/errors.ts'

t.test('one name:value line per signed header, in the listed order', async (t) => {
  const headers = indexHeaders(['Content-Type', 'application/json', 'X-Amz-Date', '20261127T120000Z'])
  t.equal(canonicalHeaders(['x-amz-date', 'content-type'], (name) => headers.get(name)),
    'x-amz-date:20261127T120000Z\ncontent-type:application/json\n')
})

t.test('repeated headers are joined with commas in arrival order, each value trimmed', async (t) => {
  const headers = indexHeaders(['My-Header', ' b ', 'Other', 'x', 'my-header', 'a  c'])
  t.equal(canonicalHeaders(['my-header'], (name) => headers.get(name)), 'my-header:b,a c\n')
})

t.test('a single value given as a string is trimmed the same way', async (t) => {
  t.equal(canonicalHeaders(['x-amzn-bedrock-trace'], () => ' \tENABLED  now '), 'x-amzn-bedrock-trace:ENABLED now\n')
})

t.test('a signed header the request does not carry is refused', async (t) => {
  t.throws(() => canonicalHeaders(['host', 'x-amz-security-token'], (name) => name === 'host' ? 'h' : undefined),
    new BedrockError('InvalidSignatureException',
      "'x-amz-security-token' is listed in SignedHeaders but the request has no such header."))
})
