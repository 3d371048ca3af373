import { createHash } from 'node:crypto'
import t from 'tap'
import { stringToSign } from '../../src/auth/string-to-sign.ts'

t.test("the AWS test suite's get-vanilla string to sign", async (t) => {
  const canonical = 'GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n' +
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
  t.equal(stringToSign('20150830T123600Z', '20150830/us-east-1/service/aws4_request', canonical),
    'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n' +
    'bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63')
})

t.test('the canonical request is hashed as the received bytes, so UTF-8 sent is UTF-8 hashed', async (t) => {
  const receivedAsBytes = 'x:\xc3\xa9'
  t.equal(stringToSign('20261127T101500Z', '20261127/eu-west-2/bedrock/aws4_request', receivedAsBytes).split('\n')[3],
    createHash('sha256').update('x:\u00e9', 'utf8').digest('hex'))
})
