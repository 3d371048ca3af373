import t from 'tap'
import { createHash } from 'node:crypto'
import { authenticateBearer, bearerKeySha256, bearerToken } from '../../src/auth/bearer.ts'
import { indexClients } from '../../src/auth/client-index.ts'
import { BedrockError } from '../../src/core/errors.ts'
import { BATCH_BEARER_KEY, batchClient, litellmClient } from './fixtures/clients.ts'

const keys = indexClients([litellmClient, batchClient])

t.test('the right key finds its client', async (t) => {
  t.equal(authenticateBearer(BATCH_BEARER_KEY, keys), batchClient)
})

t.test('a wrong key is an unrecognized client', async (t) => {
  t.throws(() => authenticateBearer(BATCH_BEARER_KEY + 'x', keys),
    new BedrockError('UnrecognizedClientException', 'The security token included in the request is invalid.'))
})

t.test('the stored hash itself is not a key', async (t) => {
  t.throws(() => authenticateBearer(batchClient.apiKeySha256, keys), { name: 'UnrecognizedClientException' })
})

t.test("a SigV4 client's secret is not a bearer key", async (t) => {
  t.throws(() => authenticateBearer(litellmClient.secretAccessKey, keys), { name: 'UnrecognizedClientException' })
})

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

t.test('an ASCII key hashes to the sha256 of its characters, as sha256sum prints it', async (t) => {
  // FIPS 180-2's test vector for "abc".
  t.equal(bearerKeySha256('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
})

t.test('a byte string is hashed as the bytes it stands for, not re-encoded as UTF-8', async (t) => {
  const receivedBytes = Buffer.from([0x62, 0x67, 0x66, 0x5f, 0xe9])
  t.equal(bearerKeySha256(receivedBytes.toString('latin1')), createHash('sha256').update(receivedBytes).digest('hex'))
})
