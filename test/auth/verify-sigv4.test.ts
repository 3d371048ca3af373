import { readdirSync } from 'node:fs'
import t, { type Test } from 'tap'
import { BedrockError } from '../../src/core/errors.ts'
import { indexHeaders } from '../../src/auth/index-headers.ts'
import { CONTENT_SHA256_MISMATCH, SIGNATURE_MISMATCH, UNRECOGNIZED_CLIENT } from '../../src/auth/messages.ts'
import { createSigningKeyCache } from '../../src/auth/signing-key-cache.ts'
import type { ReceivedRequest } from '../../src/auth/types.ts'
import { verifySigV4, type SigV4Verification } from '../../src/auth/verify-sigv4.ts'
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

    t.test('is accepted as signed', async (t) => {
      t.same(verifySigV4(received(file), authorizationOf(file), suiteVerification()),
        { accessKeyId: SUITE_KEY_ID, region: SUITE_REGION })
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
