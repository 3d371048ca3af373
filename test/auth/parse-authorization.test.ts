import t from 'tap'
import { parseAuthorization, parseCredential } from '../../src/auth/parse-authorization.ts'
import { BedrockError } from '../../src/core/errors.ts'

const SIGNATURE = 'c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea'

t.test('a botocore Authorization header parses into scope, signed headers and signature', async (t) => {
  t.same(parseAuthorization('AWS4-HMAC-SHA256 Credential=GEOFENCELITELLM01/20261127/eu-west-2/bedrock/aws4_request, ' +
    `SignedHeaders=content-type;host;x-amz-date, Signature=${SIGNATURE}`), {
    scope: { accessKeyId: 'GEOFENCELITELLM01', date: '20261127', region: 'eu-west-2', service: 'bedrock', terminator: 'aws4_request' },
    signedHeaders: ['content-type', 'host', 'x-amz-date'],
    signature: SIGNATURE
  })
})

t.test('parameters may come in any order and without spaces after commas', async (t) => {
  const parsed = parseAuthorization(`AWS4-HMAC-SHA256 Signature=${SIGNATURE},SignedHeaders=host;x-amz-date,Credential=A/20261127/eu-west-2/bedrock/aws4_request`)
  t.same(parsed.signedHeaders, ['host', 'x-amz-date'])
  t.equal(parsed.scope.accessKeyId, 'A')
})

t.test('signed header names are lower-cased', async (t) => {
  const parsed = parseAuthorization(`AWS4-HMAC-SHA256 Credential=A/20261127/eu-west-2/bedrock/aws4_request, SignedHeaders=Host;X-Amz-Date, Signature=${SIGNATURE}`)
  t.same(parsed.signedHeaders, ['host', 'x-amz-date'])
})

t.test('an empty SignedHeaders lists no header', async (t) => {
  const parsed = parseAuthorization(`AWS4-HMAC-SHA256 Credential=A/20261127/eu-west-2/bedrock/aws4_request, SignedHeaders=, Signature=${SIGNATURE}`)
  t.same(parsed.signedHeaders, [])
})

t.test('another AWS4 algorithm is refused in AWS words', async (t) => {
  t.throws(() => parseAuthorization('AWS4-ECDSA-P256-SHA256 Credential=A/20261127/bedrock/aws4_request'),
    new BedrockError('IncompleteSignatureException', "Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256' (only AWS4-HMAC-SHA256 for now)."))
})

t.test('every missing parameter is named at once', async (t) => {
  t.throws(() => parseAuthorization('AWS4-HMAC-SHA256 Credential=A/20261127/eu-west-2/bedrock/aws4_request'),
    new BedrockError('IncompleteSignatureException',
      "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter."))
})

t.test('a parameter without = is malformed', async (t) => {
  t.throws(() => parseAuthorization(`AWS4-HMAC-SHA256 Credential A/20261127/eu-west-2/bedrock/aws4_request, SignedHeaders=host, Signature=${SIGNATURE}`),
    { name: 'IncompleteSignatureException', message: /not a valid key=value pair/ })
})

t.test('a repeated parameter is refused rather than one of them picked', async (t) => {
  t.throws(() => parseAuthorization(`AWS4-HMAC-SHA256 Credential=A/20261127/eu-west-2/bedrock/aws4_request, SignedHeaders=host, Signature=${SIGNATURE}, Signature=${SIGNATURE}`),
    new BedrockError('IncompleteSignatureException', "Authorization header repeats the 'Signature' parameter."))
})

t.test('a header run together without spaces is malformed and is not repeated back', async (t) => {
  t.throws(() => parseAuthorization(`AWS4-HMAC-SHA256Credential=A/20261127/eu-west-2/bedrock/aws4_request,Signature=${SIGNATURE}`),
    new BedrockError('IncompleteSignatureException',
      "The Authorization header is not of the form 'AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...'."))
})

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
