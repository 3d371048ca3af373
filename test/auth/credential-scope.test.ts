import t from 'tap'
import { credentialScope } from '../../src/auth/credential-scope.ts'

t.test('date, region and service, closed by the aws4_request terminator', async (t) => {
  t.equal(credentialScope('20261127', 'eu-west-2', 'bedrock'), '20261127/eu-west-2/bedrock/aws4_request')
})
