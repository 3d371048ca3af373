import t from 'tap'
import { deriveSigningKey } from '../../src/auth/signing-key.ts'

t.test('derives the signing key of AWS documentation example (iam, us-east-1, 20120215)', async (t) => {
  t.equal(deriveSigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20120215', 'us-east-1', 'iam').toString('hex'),
    'f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d')
})
