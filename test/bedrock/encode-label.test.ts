import t from 'tap'
import { encodeLabel } from '../../src/bedrock/encode-label.ts'

t.test('encodes a model id whole, as the AWS SDKs do', async (t) => {
  t.equal(encodeLabel('us.anthropic.claude-3-5-sonnet-20241022-v2:0'), 'us.anthropic.claude-3-5-sonnet-20241022-v2%3A0')
  t.equal(encodeLabel('arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.x.y'),
    'arn%3Aaws%3Abedrock%3Aus-east-1%3A111122223333%3Ainference-profile%2Fus.x.y')
})

t.test('also encodes the sub-delimiters encodeURIComponent leaves alone', async (t) => {
  t.equal(encodeLabel("a!b'c(d)e*f"), 'a%21b%27c%28d%29e%2Af')
})

t.test('leaves unreserved characters as they are', async (t) => {
  t.equal(encodeLabel('AZaz09-._~'), 'AZaz09-._~')
})
