import t from 'tap'
import { canonicalUri } from '../../src/auth/canonical-uri.ts'

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
