import t from 'tap'
import { indexClients } from '../../src/auth/client-index.ts'
import { batchClient, litellmClient } from './fixtures/clients.ts'

t.test('SigV4 clients are found by key id and bearer clients by key hash', async (t) => {
  const keys = indexClients([litellmClient, batchClient])
  t.equal(keys.sigV4ByAccessKeyId.get(litellmClient.accessKeyId), litellmClient)
  t.equal(keys.bearerByKeySha256.get(batchClient.apiKeySha256), batchClient)
})

t.test('a bearer hash written in upper case is still found', async (t) => {
  const keys = indexClients([{ ...batchClient, apiKeySha256: batchClient.apiKeySha256.toUpperCase() }])
  t.equal(keys.bearerByKeySha256.get(batchClient.apiKeySha256)?.name, batchClient.name)
})

t.test('two clients with one key id are refused, naming both and no secret', async (t) => {
  t.throws(() => indexClients([litellmClient, { ...litellmClient, name: 'other', secretAccessKey: 'another-secret' }]),
    { message: 'clients "litellm" and "other" share the access key id GEOFENCELITELLM01' })
})

t.test('two clients with one bearer key are refused', async (t) => {
  t.throws(() => indexClients([batchClient, { ...batchClient, name: 'copy' }]),
    { message: 'clients "batch-tool" and "copy" share the same bearer key' })
})
