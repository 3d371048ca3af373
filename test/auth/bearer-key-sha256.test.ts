import { createHash } from 'node:crypto'
import t from 'tap'
import { bearerKeySha256 } from '../../src/auth/bearer-key-sha256.ts'

t.test('an ASCII key hashes to the sha256 of its characters, as sha256sum prints it', async (t) => {
  // FIPS 180-2's test vector for "abc".
  t.equal(bearerKeySha256('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
})

t.test('a byte string is hashed as the bytes it stands for, not re-encoded as UTF-8', async (t) => {
  const receivedBytes = Buffer.from([0x62, 0x67, 0x66, 0x5f, 0xe9])
  t.equal(bearerKeySha256(receivedBytes.toString('latin1')), createHash('sha256').update(receivedBytes).digest('hex'))
})
