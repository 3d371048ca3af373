import t from 'tap'
import { hasQuerySignature } from '../../src/auth/has-query-signature.ts'

t.test('presigned-URL parameters are found', async (t) => {
  t.equal(hasQuerySignature('X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a%2Fb'), true)
  t.equal(hasQuerySignature('a=1&X-Amz-Signature=abc'), true)
})

t.test('however they are cased or encoded', async (t) => {
  t.equal(hasQuerySignature('x-amz-signature=abc'), true)
  t.equal(hasQuerySignature('X%2DAmz%2DCredential=abc'), true)
})

t.test('a key without a value counts too', async (t) => {
  t.equal(hasQuerySignature('X-Amz-Signature'), true)
})

t.test('ordinary parameters and values that merely mention them do not', async (t) => {
  t.equal(hasQuerySignature('maxResults=10&nextToken=X-Amz-Signature'), false)
  t.equal(hasQuerySignature(''), false)
})
