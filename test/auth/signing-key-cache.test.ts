import t from 'tap'
import { createSigningKeyCache } from '../../src/auth/signing-key-cache.ts'
import { deriveSigningKey } from '../../src/auth/signing-key.ts'

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
