import t from 'tap'
import { checkPayloadHash } from '../../src/auth/check-payload-hash.ts'
import { indexHeaders } from '../../src/auth/index-headers.ts'
import { CONTENT_SHA256_MISMATCH } from '../../src/auth/messages.ts'
import { BedrockError } from '../../src/core/errors.ts'

const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
const MISMATCH = new BedrockError('InvalidSignatureException', CONTENT_SHA256_MISMATCH)

t.test('without the header, nothing is checked (botocore does not send it)', async (t) => {
  t.doesNotThrow(() => checkPayloadHash(indexHeaders([]), EMPTY_BODY_SHA256))
})

t.test('a header equal to the hash of the received body passes', async (t) => {
  t.doesNotThrow(() => checkPayloadHash(indexHeaders(['X-Amz-Content-Sha256', EMPTY_BODY_SHA256]), EMPTY_BODY_SHA256))
})

t.test('a header with another hash is refused', async (t) => {
  t.throws(() => checkPayloadHash(indexHeaders(['x-amz-content-sha256', '0'.repeat(64)]), EMPTY_BODY_SHA256), MISMATCH)
})

t.test('UNSIGNED-PAYLOAD is refused', async (t) => {
  t.throws(() => checkPayloadHash(indexHeaders(['x-amz-content-sha256', 'UNSIGNED-PAYLOAD']), EMPTY_BODY_SHA256), MISMATCH)
})

t.test('the header sent twice is refused even when both copies match', async (t) => {
  t.throws(() => checkPayloadHash(indexHeaders(['x-amz-content-sha256', EMPTY_BODY_SHA256, 'x-amz-content-sha256', EMPTY_BODY_SHA256]),
    EMPTY_BODY_SHA256), MISMATCH)
})
