import t from 'tap'
import { parseCredential } from '../../src/auth/parse-credential.ts'
import { BedrockError } from '../../src/core/errors.ts'

const ELEMENTS_MESSAGE = 'Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term'

t.test('a credential splits into key id, date, region, service and terminator', async (t) => {
  t.same(parseCredential('AKIDEXAMPLE/20150830/us-east-1/service/aws4_request'),
    { accessKeyId: 'AKIDEXAMPLE', date: '20150830', region: 'us-east-1', service: 'service', terminator: 'aws4_request' })
})

t.test('a credential with four elements is incomplete', async (t) => {
  t.throws(() => parseCredential('AKIDEXAMPLE/20150830/us-east-1/aws4_request'),
    new BedrockError('IncompleteSignatureException', ELEMENTS_MESSAGE))
})

t.test('a credential with six elements is incomplete', async (t) => {
  t.throws(() => parseCredential('AKIDEXAMPLE/20150830/us-east-1/bedrock/aws4_request/'),
    new BedrockError('IncompleteSignatureException', ELEMENTS_MESSAGE))
})
