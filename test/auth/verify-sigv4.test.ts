import { readdirSync } from 'node:fs'
import t, { type Test } from 'tap'
import { BedrockError } from '../../src/core/errors.ts'
import { indexHeaders } from '../../src/auth/authenticate.ts'
import { CONTENT_SHA256_MISMATCH, SIGNATURE_MISMATCH, UNRECOGNIZED_CLIENT } from '../../src/auth/messages.ts'
import { createSigningKeyCache } from '../../src/sigv4/signature.ts'
import type { ReceivedRequest } from '../../src/auth/types.ts'
import {
  checkClockSkew,
  checkCredentialScope,
  checkPayloadHash,
  parseAmzDate,
  receivedCanonicalRequest,
  signaturesMatch,
  type SigV4Verification,
  verifySigV4
} from '../../src/auth/verify-sigv4.ts'
import { readSignedRequestFile, sha256Hex, type SignedRequestFile } from './fixtures/signed-request-file.ts'

const SUITE_DIRECTORY = new URL('./fixtures/aws-sig-v4-test-suite/', import.meta.url)
const SUITE_KEY_ID = 'AKIDEXAMPLE'
const SUITE_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'
const SUITE_REGION = 'us-east-1'
const SUITE_SERVICE = 'service'
const SUITE_SIGNED_AT = new Date('2015-08-30T12:36:00Z')

const vectorNames = readdirSync(SUITE_DIRECTORY)
  .filter((file) => file.endsWith('.sreq'))
  .map((file) => file.slice(0, -'.sreq'.length))
  .sort()

interface Mutable {
  method: string
  rawPath: string
  rawHeaders: string[]
  authority: string
  body: Buffer
}

function suiteVerification (): SigV4Verification {
  return {
    service: SUITE_SERVICE,
    now: SUITE_SIGNED_AT,
    clockSkewSeconds: 300,
    secretFor: (accessKeyId) => accessKeyId === SUITE_KEY_ID ? SUITE_SECRET : undefined,
    signingKeys: createSigningKeyCache(8)
  }
}

function received (file: SignedRequestFile | Mutable): ReceivedRequest {
  return {
    method: file.method,
    rawPath: file.rawPath,
    headers: indexHeaders(file.rawHeaders),
    authority: file.authority,
    bodySha256Hex: sha256Hex(file.body)
  }
}

function authorizationOf (file: SignedRequestFile | Mutable): string {
  const at = file.rawHeaders.findIndex((name, i) => i % 2 === 0 && name.toLowerCase() === 'authorization')
  return file.rawHeaders[at + 1] as string
}

function signedHeaderNames (authorization: string): string[] {
  return (/SignedHeaders=([^,]*)/.exec(authorization)?.[1] ?? '').split(';')
}

/** Changes exactly one char: the last one that is not a path separator, moved to the next code (0xFF to 0xFE). */
function changeOneByte (text: string): string {
  let at = text.length - 1
  while (at > 0 && text[at] === '/') at--
  const code = text.charCodeAt(at)
  return text.slice(0, at) + String.fromCharCode(code === 0xff ? 0xfe : code + 1) + text.slice(at + 1)
}

function copy (file: SignedRequestFile): Mutable {
  return { ...file, rawHeaders: [...file.rawHeaders], body: Buffer.from(file.body) }
}

/** A copy of the request with the (first) value of one header changed by one byte. */
function withHeaderChanged (file: SignedRequestFile, name: string): Mutable {
  const changed = copy(file)
  if (name === 'host') {
    changed.authority = changeOneByte(changed.authority)
    return changed
  }
  const at = changed.rawHeaders.findIndex((header, i) => i % 2 === 0 && header.toLowerCase() === name)
  const value = changed.rawHeaders[at + 1] as string
  changed.rawHeaders[at + 1] = name === 'x-amz-date'
    ? value.replace('36:00Z', '36:01Z').replace('T123600Z', 'T123601Z')
    : changeOneByte(value)
  return changed
}

function rejection (t: Test, request: SignedRequestFile | Mutable, message: string, why: string): void {
  t.throws(() => verifySigV4(received(request), authorizationOf(request), suiteVerification()),
    new BedrockError('InvalidSignatureException', message), why)
}

t.test('the published AWS SigV4 test suite is present', async (t) => {
  t.ok(vectorNames.length >= 20, `${vectorNames.length} vectors`)
})

for (const name of vectorNames) {
  t.test(`AWS test-suite vector ${name}`, async (t) => {
    const file = readSignedRequestFile(new URL(`${name}.sreq`, SUITE_DIRECTORY))

    t.test('is accepted as signed, with the signature a stream of events would chain from', async (t) => {
      t.same(verifySigV4(received(file), authorizationOf(file), suiteVerification()),
        { accessKeyId: SUITE_KEY_ID, region: SUITE_REGION, signature: /Signature=(\w+)$/.exec(authorizationOf(file))?.[1], service: SUITE_SERVICE })
    })

    t.test('is refused with one byte of the signature changed', async (t) => {
      const changed = copy(file)
      const at = changed.rawHeaders.findIndex((header, i) => i % 2 === 0 && header.toLowerCase() === 'authorization')
      changed.rawHeaders[at + 1] = changeOneByte(changed.rawHeaders[at + 1] as string)
      rejection(t, changed, SIGNATURE_MISMATCH, 'signature changed')
    })

    t.test('is refused with one byte of the method changed', async (t) => {
      rejection(t, { ...copy(file), method: changeOneByte(file.method) }, SIGNATURE_MISMATCH, 'method changed')
    })

    const queryStart = file.rawPath.indexOf('?')
    const path = queryStart === -1 ? file.rawPath : file.rawPath.slice(0, queryStart)
    if (path.replaceAll('/', '').length > 0) {
      t.test('is refused with one byte of the path changed', async (t) => {
        const changedPath = changeOneByte(path) + file.rawPath.slice(path.length)
        rejection(t, { ...copy(file), rawPath: changedPath }, SIGNATURE_MISMATCH, 'path changed')
      })
    }

    if (queryStart !== -1) {
      t.test('is refused with one byte of the query changed', async (t) => {
        rejection(t, { ...copy(file), rawPath: changeOneByte(file.rawPath) }, SIGNATURE_MISMATCH, 'query changed')
      })
    }

    if (file.body.length > 0) {
      t.test('is refused with one byte of the body changed', async (t) => {
        const changed = copy(file)
        changed.body[changed.body.length - 1] = (changed.body.at(-1) as number) + 1
        const expected = file.rawHeaders.some((header) => header.toLowerCase() === 'x-amz-content-sha256')
          ? CONTENT_SHA256_MISMATCH
          : SIGNATURE_MISMATCH
        rejection(t, changed, expected, 'body changed')
      })
    }

    for (const header of signedHeaderNames(authorizationOf(file))) {
      t.test(`is refused with one byte of signed header ${header} changed`, async (t) => {
        const expected = header === 'x-amz-content-sha256' ? CONTENT_SHA256_MISMATCH : SIGNATURE_MISMATCH
        rejection(t, withHeaderChanged(file, header), expected, `${header} changed`)
      })
    }
  })
}

t.test('a test-suite request is refused for a key id the verifier does not know', async (t) => {
  const file = readSignedRequestFile(new URL('get-vanilla.sreq', SUITE_DIRECTORY))
  t.throws(() => verifySigV4(received(file), authorizationOf(file), { ...suiteVerification(), secretFor: () => undefined }),
    new BedrockError('UnrecognizedClientException', UNRECOGNIZED_CLIENT))
})

t.test('a test-suite request is refused when verified with another secret', async (t) => {
  const file = readSignedRequestFile(new URL('get-vanilla.sreq', SUITE_DIRECTORY))
  t.throws(() => verifySigV4(received(file), authorizationOf(file), { ...suiteVerification(), secretFor: () => SUITE_SECRET + 'x' }),
    new BedrockError('InvalidSignatureException', SIGNATURE_MISMATCH))
})

const NOW = new Date('2015-08-30T12:36:00Z')

t.test('a signature exactly at the edge of the skew is accepted, either way', async (t) => {
  t.doesNotThrow(() => checkClockSkew('20150830T123100Z', Date.UTC(2015, 7, 30, 12, 31), NOW, 300))
  t.doesNotThrow(() => checkClockSkew('20150830T124100Z', Date.UTC(2015, 7, 30, 12, 41), NOW, 300))
})

t.test('an older signature has expired, in AWS words', async (t) => {
  t.throws(() => checkClockSkew('20150830T123059Z', Date.UTC(2015, 7, 30, 12, 30, 59), NOW, 300),
    new BedrockError('InvalidSignatureException',
      'Signature expired: 20150830T123059Z is now earlier than 20150830T123100Z (20150830T123600Z - 5 min.)'))
})

t.test('a signature from the future is not yet current, in AWS words', async (t) => {
  t.throws(() => checkClockSkew('20150830T124101Z', Date.UTC(2015, 7, 30, 12, 41, 1), NOW, 300),
    new BedrockError('InvalidSignatureException',
      'Signature not yet current: 20150830T124101Z is still later than 20150830T124100Z (20150830T123600Z + 5 min.)'))
})

t.test('a skew configured in odd seconds is reported in seconds', async (t) => {
  t.throws(() => checkClockSkew('20150830T123500Z', Date.UTC(2015, 7, 30, 12, 35), NOW, 45),
    { message: 'Signature expired: 20150830T123500Z is now earlier than 20150830T123515Z (20150830T123600Z - 45 sec.)' })
})

const SCOPE = { accessKeyId: 'K', date: '20261127', region: 'eu-west-2', service: 'bedrock', terminator: 'aws4_request' }
const AMZ_DATE = '20261127T101500Z'

t.test('a scope for the request day, a region, bedrock and aws4_request passes', async (t) => {
  t.doesNotThrow(() => checkCredentialScope(SCOPE, AMZ_DATE, 'bedrock'))
})

t.test('another service is refused in AWS words', async (t) => {
  t.throws(() => checkCredentialScope({ ...SCOPE, service: 'bedrock-runtime' }, AMZ_DATE, 'bedrock'),
    new BedrockError('InvalidSignatureException', "Credential should be scoped to correct service: 'bedrock'."))
})

t.test('a region that is not a region name is refused', async (t) => {
  t.throws(() => checkCredentialScope({ ...SCOPE, region: 'EU' }, AMZ_DATE, 'bedrock'),
    new BedrockError('InvalidSignatureException', "Credential should be scoped to a valid region, not 'EU'."))
})

t.test('another terminator is refused', async (t) => {
  t.throws(() => checkCredentialScope({ ...SCOPE, terminator: 'aws4_reques' }, AMZ_DATE, 'bedrock'),
    new BedrockError('InvalidSignatureException', "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws4_reques'."))
})

t.test('a scope date other than the x-amz-date day is refused, even seconds apart', async (t) => {
  t.throws(() => checkCredentialScope({ ...SCOPE, date: '20261128' }, '20261127T235959Z', 'bedrock'),
    new BedrockError('InvalidSignatureException',
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261128' != '20261127', from '20261127T235959Z'."))
})

t.test('all problems are reported together', async (t) => {
  t.throws(() => checkCredentialScope({ ...SCOPE, service: 's3', date: '20261126' }, AMZ_DATE, 'bedrock'),
    { message: /^Credential should be scoped to correct service: 'bedrock'\. Date in Credential scope does not match/ })
})

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

t.test('a LiteLLM converse request: path encoded once more, query sorted, body hash last', async (t) => {
  const request = {
    method: 'POST',
    rawPath: '/eu-west-2/model/eu.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse?b=2&a=1',
    headers: indexHeaders(['Content-Type', 'application/json', 'X-Amz-Date', '20261127T101500Z']),
    authority: '127.0.0.1:8080',
    bodySha256Hex: 'ab'.repeat(32)
  }
  t.equal(receivedCanonicalRequest(request, ['content-type', 'host', 'x-amz-date']), [
    'POST',
    '/eu-west-2/model/eu.anthropic.claude-3-7-sonnet-20250219-v1%253A0/converse',
    'a=1&b=2',
    'content-type:application/json',
    'host:127.0.0.1:8080',
    'x-amz-date:20261127T101500Z',
    '',
    'content-type;host;x-amz-date',
    'ab'.repeat(32)
  ].join('\n'))
})

t.test('host is the authority the request was addressed to, not a host header', async (t) => {
  const request = {
    method: 'GET',
    rawPath: '/',
    headers: indexHeaders(['host', 'forged.example']),
    authority: '127.0.0.1:8080',
    bodySha256Hex: 'ab'.repeat(32)
  }
  t.equal(receivedCanonicalRequest(request, ['host']).split('\n')[3], 'host:127.0.0.1:8080')
})

t.test('an HTTP/2 client that signs :authority signs the same authority under that name', async (t) => {
  const request = { method: 'GET', rawPath: '/', headers: indexHeaders([]), authority: '127.0.0.1:8443', bodySha256Hex: 'ab'.repeat(32) }
  t.equal(receivedCanonicalRequest(request, [':authority']).split('\n')[3], ':authority:127.0.0.1:8443')
})

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

t.test('an ISO 8601 basic-format date is read as UTC', async (t) => {
  t.equal(parseAmzDate('20150830T123600Z'), Date.UTC(2015, 7, 30, 12, 36, 0))
})

t.test('the extended format is refused in AWS words', async (t) => {
  t.throws(() => parseAmzDate('2015-08-30T12:36:00Z'), new BedrockError('IncompleteSignatureException',
    "Date must be in ISO-8601 'basic format'. Got '2015-08-30T12:36:00Z'. See http://en.wikipedia.org/wiki/ISO_8601"))
})

t.test('a date that does not exist is refused instead of rolling over', async (t) => {
  t.throws(() => parseAmzDate('20150230T000000Z'), { name: 'IncompleteSignatureException' })
})

t.test('hour 24 is refused', async (t) => {
  t.throws(() => parseAmzDate('20150830T240000Z'), { name: 'IncompleteSignatureException' })
})

t.test('a date without the Z is refused', async (t) => {
  t.throws(() => parseAmzDate('20150830T123600'), { name: 'IncompleteSignatureException' })
})

t.test('29 February exists in leap years only', async (t) => {
  t.equal(parseAmzDate('20240229T000000Z'), Date.UTC(2024, 1, 29))
  t.throws(() => parseAmzDate('21000229T000000Z'), { name: 'IncompleteSignatureException' })
})

t.test('month 13 and day 0 are refused', async (t) => {
  t.throws(() => parseAmzDate('20151301T000000Z'), { name: 'IncompleteSignatureException' })
  t.throws(() => parseAmzDate('20150800T000000Z'), { name: 'IncompleteSignatureException' })
})
