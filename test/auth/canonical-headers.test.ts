import t from 'tap'
import { canonicalHeaders } from '../../src/auth/canonical-headers.ts'
import { indexHeaders } from '../../src/auth/index-headers.ts'
import { BedrockError } from '../../src/bedrock/errors.ts'

t.test('one name:value line per signed header, in the listed order', async (t) => {
  const headers = indexHeaders(['Content-Type', 'application/json', 'X-Amz-Date', '20261127T120000Z'])
  t.equal(canonicalHeaders(['content-type', 'host', 'x-amz-date'], headers, 'gateway:8080'),
    'content-type:application/json\nhost:gateway:8080\nx-amz-date:20261127T120000Z\n')
})

t.test('repeated headers are joined with commas in arrival order, each value trimmed', async (t) => {
  const headers = indexHeaders(['My-Header', ' b ', 'Other', 'x', 'my-header', 'a  c'])
  t.equal(canonicalHeaders(['my-header'], headers, 'h'), 'my-header:b,a c\n')
})

t.test('host is the authority the request was addressed to, not a host header', async (t) => {
  const headers = indexHeaders([':authority', '127.0.0.1:8080', 'host', 'forged.example'])
  t.equal(canonicalHeaders(['host'], headers, '127.0.0.1:8080'), 'host:127.0.0.1:8080\n')
})

t.test('a signed header the request does not carry is refused', async (t) => {
  t.throws(() => canonicalHeaders(['host', 'x-amz-security-token'], indexHeaders([]), 'h'),
    new BedrockError('InvalidSignatureException',
      "'x-amz-security-token' is listed in SignedHeaders but the request has no such header."))
})
