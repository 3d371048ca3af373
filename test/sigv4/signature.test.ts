import t from 'tap'
import { createHash, createSecretKey } from 'node:crypto'
import {
  computeSignature,
  createSigningKeyCache,
  credentialScope,
  deriveSigningKey,
  formatAuthorization,
  sha256Hex,
  stringToSign
} from '../../src/sigv4/signature.ts'
import { parseAuthorization } from '../../src/auth/parse-authorization.ts'

t.test('date, region and service, closed by the aws4_request terminator', async (t) => {
  t.equal(credentialScope('20261127', 'eu-west-2', 'bedrock'), '20261127/eu-west-2/bedrock/aws4_request')
})

t.test('derives the signing key of AWS documentation example (iam, us-east-1, 20120215)', async (t) => {
  t.equal(deriveSigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20120215', 'us-east-1', 'iam').toString('hex'),
    'f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d')
})

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'

t.test('a cached key is the derived key', async (t) => {
  const cache = createSigningKeyCache(4)
  t.same(cache.get(SECRET, '20261127', 'eu-west-2', 'bedrock').export(), deriveSigningKey(SECRET, '20261127', 'eu-west-2', 'bedrock'))
})

t.test('asking again returns the very same key, not a new derivation', async (t) => {
  const cache = createSigningKeyCache(4)
  t.equal(cache.get(SECRET, '20261127', 'eu-west-2', 'bedrock'), cache.get(SECRET, '20261127', 'eu-west-2', 'bedrock'))
})

t.test('secret, date, region and service each give their own key', async (t) => {
  const cache = createSigningKeyCache(8)
  const keys = [
    cache.get(SECRET, '20261127', 'eu-west-2', 'bedrock'),
    cache.get(SECRET + 'x', '20261127', 'eu-west-2', 'bedrock'),
    cache.get(SECRET, '20261128', 'eu-west-2', 'bedrock'),
    cache.get(SECRET, '20261127', 'eu-west-1', 'bedrock'),
    cache.get(SECRET, '20261127', 'eu-west-2', 'service')
  ].map((key) => key.export().toString('hex'))
  t.equal(new Set(keys).size, keys.length)
})

t.test('when full, the least recently used key is dropped and derived again later', async (t) => {
  const cache = createSigningKeyCache(2)
  const first = cache.get(SECRET, '20261127', 'eu-west-1', 'bedrock')
  const second = cache.get(SECRET, '20261127', 'eu-west-2', 'bedrock')
  t.equal(cache.get(SECRET, '20261127', 'eu-west-1', 'bedrock'), first, 'a hit makes eu-west-1 the most recent')
  cache.get(SECRET, '20261127', 'eu-west-3', 'bedrock')
  t.equal(cache.get(SECRET, '20261127', 'eu-west-1', 'bedrock'), first, 'eu-west-1 survived')
  const again = cache.get(SECRET, '20261127', 'eu-west-2', 'bedrock')
  t.not(again, second, 'eu-west-2 was evicted and derived anew')
  t.same(again.export(), second.export(), 'to the same value')
})

t.test('asking again for the newest key changes nothing: the oldest is still the one dropped', async (t) => {
  const cache = createSigningKeyCache(2)
  const first = cache.get(SECRET, '20261127', 'eu-west-1', 'bedrock')
  const second = cache.get(SECRET, '20261127', 'eu-west-2', 'bedrock')
  t.equal(cache.get(SECRET, '20261127', 'eu-west-2', 'bedrock'), second)
  cache.get(SECRET, '20261127', 'eu-west-3', 'bedrock')
  t.equal(cache.get(SECRET, '20261127', 'eu-west-2', 'bedrock'), second, 'eu-west-2 survived')
  t.not(cache.get(SECRET, '20261127', 'eu-west-1', 'bedrock'), first, 'eu-west-1 was evicted and derived anew')
})

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

t.test("the AWS test suite's get-vanilla signature", async (t) => {
  const key = createSecretKey(deriveSigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20150830', 'us-east-1', 'service'))
  const toSign = 'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n' +
    'bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63'
  t.equal(computeSignature(key, toSign), '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31')
})

t.test('the hex sha256 of the empty payload is the constant SigV4 documents for it', async (t) => {
  t.equal(sha256Hex(new Uint8Array()), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')
})

t.test('the hex sha256 of "abc" is the FIPS 180-2 test vector', async (t) => {
  t.equal(sha256Hex(Buffer.from('abc', 'latin1')), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
})

t.test('a view into a larger buffer hashes only its own bytes', async (t) => {
  const whole = Buffer.from('xxabcxx', 'latin1')
  t.equal(sha256Hex(whole.subarray(2, 5)), sha256Hex(Buffer.from('abc', 'latin1')))
})

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
