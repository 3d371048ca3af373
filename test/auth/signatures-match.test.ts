import t from 'tap'
import { signaturesMatch } from '../../src/auth/signatures-match.ts'

const SIGNATURE = '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31'

t.test('equal signatures match', async (t) => {
  t.equal(signaturesMatch(SIGNATURE, SIGNATURE), true)
})

t.test('a signature differing in its last character does not match', async (t) => {
  t.equal(signaturesMatch(SIGNATURE.slice(0, -1) + '2', SIGNATURE), false)
})

t.test('a shorter or empty signature does not match', async (t) => {
  t.equal(signaturesMatch(SIGNATURE.slice(0, -1), SIGNATURE), false)
  t.equal(signaturesMatch('', SIGNATURE), false)
})

t.test('upper-case hex does not match: SigV4 signatures are lower-case', async (t) => {
  t.equal(signaturesMatch(SIGNATURE.toUpperCase(), SIGNATURE), false)
})
