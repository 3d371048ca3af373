import t from 'tap'
import {
  canonicalHeaders,
  canonicalHeaderValue,
  sigV4CanonicalQuery,
  canonicalRequest,
  canonicalUri,
  splitRequestTarget
} from '../../src/sigv4/canonical-request.ts'
import { indexHeaders } from '../../src/auth/authenticate.ts'
import { BedrockError } from '../../src/core/errors.ts'

const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

t.test("the AWS test suite's get-vanilla canonical request", async (t) => {
  const values: Record<string, string> = { host: 'example.amazonaws.com', 'x-amz-date': '20150830T123600Z' }
  t.equal(canonicalRequest({
    method: 'GET',
    path: '/',
    canonicalQuery: '',
    signedHeaders: ['host', 'x-amz-date'],
    headerValues: (name) => values[name],
    payloadSha256Hex: EMPTY_BODY_SHA256
  }), 'GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n' + EMPTY_BODY_SHA256)
})

t.test('the path is encoded once more and the query is taken as already canonical', async (t) => {
  const lines = canonicalRequest({
    method: 'GET',
    path: '/async-invoke/arn%3Aaws%3Abedrock%3Aeu-west-2%3A111122223333%3Aasync-invoke%2Fabc',
    canonicalQuery: 'b=2&a=1',
    signedHeaders: ['host'],
    headerValues: () => 'h',
    payloadSha256Hex: EMPTY_BODY_SHA256
  }).split('\n')
  t.equal(lines[1], '/async-invoke/arn%253Aaws%253Abedrock%253Aeu-west-2%253A111122223333%253Aasync-invoke%252Fabc')
  t.equal(lines[2], 'b=2&a=1')
})

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

t.test('a raw colon in a model id is encoded once (LiteLLM invoke route)', async (t) => {
  t.equal(canonicalUri('/model/anthropic.claude-v2:1/invoke'), '/model/anthropic.claude-v2%3A1/invoke')
})

t.test('an already encoded colon is encoded once more, as botocore and the SDKs sign it', async (t) => {
  t.equal(canonicalUri('/model/us.anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse'),
    '/model/us.anthropic.claude-3-5-sonnet-20241022-v2%253A0/converse')
})

t.test('an encoded ARN stays one segment, its %2F encoded once more', async (t) => {
  t.equal(canonicalUri('/model/arn%3Aaws%3Abedrock%3Aeu-west-2%3A111122223333%3Ainference-profile%2Feu.x-v1%3A0/converse'),
    '/model/arn%253Aaws%253Abedrock%253Aeu-west-2%253A111122223333%253Ainference-profile%252Feu.x-v1%253A0/converse')
})

t.test('a region prefix is part of the signed path', async (t) => {
  t.equal(canonicalUri('/eu-west-2/model/anthropic.claude-v2:1/invoke'), '/eu-west-2/model/anthropic.claude-v2%3A1/invoke')
})

t.test('empty segments are dropped, a trailing slash kept', async (t) => {
  t.equal(canonicalUri('//model//x/'), '/model/x/')
})

t.test('a path of slashes only is the root', async (t) => {
  t.equal(canonicalUri('//'), '/')
})

t.test('an empty path is the root', async (t) => {
  t.equal(canonicalUri(''), '/')
})

t.test('dot segments are left as they are, not resolved', async (t) => {
  t.equal(canonicalUri('/a/./b/../c'), '/a/./b/../c')
})

t.test('unreserved characters are left alone', async (t) => {
  t.equal(canonicalUri('/-._~AZaz09'), '/-._~AZaz09')
})

t.test("sub-delimiters that encodeURIComponent would leave are encoded: ! ' ( ) *", async (t) => {
  t.equal(canonicalUri("/a!'()*"), '/a%21%27%28%29%2A')
})

t.test('received non-ASCII bytes are encoded byte by byte', async (t) => {
  t.equal(canonicalUri('/\xe1\x88\xb4'), '/%E1%88%B4')
})

t.test('parameters are sorted by key', async (t) => {
  t.equal(sigV4CanonicalQuery('b=2&a=1'), 'a=1&b=2')
})

t.test('repeated keys are sorted by value', async (t) => {
  t.equal(sigV4CanonicalQuery('a=2&a=1'), 'a=1&a=2')
})

t.test('sorting is by byte: upper case before lower case', async (t) => {
  t.equal(sigV4CanonicalQuery('a=1&B=2'), 'B=2&a=1')
})

t.test('a key without = gets an empty value', async (t) => {
  t.equal(sigV4CanonicalQuery('Param1'), 'Param1=')
})

t.test('an empty query is empty', async (t) => {
  t.equal(sigV4CanonicalQuery(''), '')
})

t.test('empty pieces carry no parameter', async (t) => {
  t.equal(sigV4CanonicalQuery('a=1&&b=2&'), 'a=1&b=2')
})

t.test('lower-case escapes are normalised to upper case', async (t) => {
  t.equal(sigV4CanonicalQuery('%e1%88%b4=bar'), '%E1%88%B4=bar')
})

t.test('raw received bytes sign like their escapes', async (t) => {
  t.equal(sigV4CanonicalQuery('\xe1\x88\xb4=bar'), '%E1%88%B4=bar')
})

t.test('reserved characters are encoded, + included (it is not a space in SigV4)', async (t) => {
  t.equal(sigV4CanonicalQuery('k=a b+c/d'), 'k=a%20b%2Bc%2Fd')
})

t.test('escaped unreserved characters are decoded', async (t) => {
  t.equal(sigV4CanonicalQuery('k=%41%7E'), 'k=A~')
})

t.test('a % that starts no valid escape is itself encoded', async (t) => {
  t.equal(sigV4CanonicalQuery('k=%zz'), 'k=%25zz')
})

t.test('parameters whose decoded key the caller omits are left out', async (t) => {
  t.equal(sigV4CanonicalQuery('b=2&X%2DAmz-Signature=00&a=1', (key) => key.toLowerCase().startsWith('x-amz-')), 'a=1&b=2')
})

t.test('path and query split at the first question mark, encoding kept', async (t) => {
  t.same(splitRequestTarget('/async-invoke?nextToken=a%2Fb?c'), { path: '/async-invoke', query: 'nextToken=a%2Fb?c' })
})

t.test('a target without a question mark has an empty query', async (t) => {
  t.same(splitRequestTarget('/model/x/converse'), { path: '/model/x/converse', query: '' })
})
