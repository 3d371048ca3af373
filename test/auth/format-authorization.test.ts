import t from 'tap'
import { formatAuthorization } from '../../src/auth/format-authorization.ts'
import { parseAuthorization } from '../../src/auth/parse-authorization.ts'

const SIGNATURE = '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'

t.test("the AWS test suite's get-vanilla Authorization header, byte for byte", async (t) => {
  t.equal(formatAuthorization('AKIDEXAMPLE', '20150830/us-east-1/service/aws4_request', 'host;x-amz-date', SIGNATURE),
    'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, ' +
    'Signature=' + SIGNATURE)
})

t.test('the inbound parser reads back what was written', async (t) => {
  const header = formatAuthorization('ASIAEXAMPLE', '20261127/eu-west-2/bedrock/aws4_request', 'content-type;host', SIGNATURE)
  t.same(parseAuthorization(header), {
    scope: { accessKeyId: 'ASIAEXAMPLE', date: '20261127', region: 'eu-west-2', service: 'bedrock', terminator: 'aws4_request' },
    signedHeaders: ['content-type', 'host'],
    signature: SIGNATURE
  })
})
