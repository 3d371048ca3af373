import t from 'tap'
import { createSecretKey } from 'node:crypto'
import { computeSignature } from '../../src/auth/compute-signature.ts'
import { deriveSigningKey } from '../../src/auth/signing-key.ts'

t.test("the AWS test suite's get-vanilla signature", async (t) => {
  const key = createSecretKey(deriveSigningKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20150830', 'us-east-1', 'service'))
  const toSign = 'AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n' +
    'bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63'
  t.equal(computeSignature(key, toSign), '5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31')
})
