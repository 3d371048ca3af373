import t from 'tap'
import { checkCredentialScope } from '../../src/auth/check-credential-scope.ts'
import { BedrockError } from '../../src/core/errors.ts'

const SCOPE = { accessKeyId: 'K', date: '20261127', region: 'eu-west-2', service: 'bedrock', terminator: 'aws4_request' }
const AMZ_DATE = '20261127T101500Z'

t.test('a scope for the request day, a region, bedrock and aws4_request passes', async (t) => {
  t.doesNotThrow(() => checkCredentialScope(SCOPE, AMZ_DATE, 'bedrock'))
})

t.test('another service is refused in AWS words', async (t) => {
  t.throws(() => checkCredentialScope({ ...SCOPE, service: 'bedrock-runtime' }, AMZ_DATE, 'bedrock'),
    new BedrockError('InvalidSignatureException', "Credential should be scoped to correct service: 'bedrock'."))
})

t.test('a region that is not a region name is refused', async (t) => {
  t.throws(() => checkCredentialScope({ ...SCOPE, region: 'EU' }, AMZ_DATE, 'bedrock'),
    new BedrockError('InvalidSignatureException', "Credential should be scoped to a valid region, not 'EU'."))
})

t.test('another terminator is refused', async (t) => {
  t.throws(() => checkCredentialScope({ ...SCOPE, terminator: 'aws4_reques' }, AMZ_DATE, 'bedrock'),
    new BedrockError('InvalidSignatureException', "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_reques'."))
})

t.test('a scope date other than the x-amz-date day is refused, even seconds apart', async (t) => {
  t.throws(() => checkCredentialScope({ ...SCOPE, date: '20261128' }, '20261127T235959Z', 'bedrock'),
    new BedrockError('InvalidSignatureException',
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261128' != '20261127', from '20261127T235959Z'."))
})

t.test('all problems are reported together', async (t) => {
  t.throws(() => checkCredentialScope({ ...SCOPE, service: 's3', date: '20261126' }, AMZ_DATE, 'bedrock'),
    { message: /^Credential should be scoped to correct service: 'bedrock'\. Date in Credential scope does not match/ })
})
