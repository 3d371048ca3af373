import t from 'tap'
import { bearerToken } from '../../src/auth/bearer-token.ts'
import { BedrockError } from '../../src/core/errors.ts'

t.test('the token follows the Bearer scheme', async (t) => {
  t.equal(bearerToken('Bearer abc.def'), 'abc.def')
})

t.test('the scheme name is case-insensitive', async (t) => {
  t.equal(bearerToken('bEaReR abc'), 'abc')
})

t.test('another scheme is not a bearer token', async (t) => {
  t.equal(bearerToken('AWS4-HMAC-SHA256 Credential=x'), undefined)
  t.equal(bearerToken('BearerX abc'), undefined)
})

t.test('Bearer without a token is malformed', async (t) => {
  t.throws(() => bearerToken('Bearer  '),
    new BedrockError('IncompleteSignatureException', "Authorization header requires a token after 'Bearer'."))
})
