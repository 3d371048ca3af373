import t from 'tap'
import { authenticateBearer } from '../../src/auth/bearer.ts'
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

t.test("the stored hash itself is not a key", async (t) => {
  t.throws(() => authenticateBearer(batchClient.apiKeySha256, keys), { name: 'UnrecognizedClientException' })
})

t.test("a SigV4 client's secret is not a bearer key", async (t) => {
  t.throws(() => authenticateBearer(litellmClient.secretAccessKey, keys), { name: 'UnrecognizedClientException' })
})
