import t from 'tap'
import { sha256Hex } from '../../src/auth/sha256-hex.ts'

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
