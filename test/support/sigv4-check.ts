import { createHash, createHmac } from 'node:crypto'

/**
 * An independent SigV4 check for what the gateway sends upstream, written from the AWS specification with node's
 * crypto only (no @smithy code), so a bug in how the gateway drives its signer cannot hide behind the same bug here.
 * Non-S3 rules: the canonical URI is the path as sent, percent-encoded once more; the query is decoded, re-encoded
 * and sorted; header values are trimmed with inner spaces collapsed, repeats joined with commas.
 */

export interface SignedRequest {
  readonly method: string
  /** The request target exactly as received: path and query, encoding untouched. */
  readonly target: string
  /** Node's `rawHeaders`: names and values alternating, as they arrived. */
  readonly rawHeaders: readonly string[]
  readonly body: Buffer
}

export type SigV4Verdict =
  | { readonly valid: true, readonly accessKeyId: string, readonly date: string, readonly region: string, readonly service: string, readonly signedHeaders: readonly string[] }
  | { readonly valid: false, readonly reason: string }

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/

function sha256Hex (data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}

function hmac (key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest()
}

function percentEncode (char: string): string {
  return '%' + char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')
}

/** RFC 3986 encoding of everything but unreserved characters (and `/` when encoding a path). */
function uriEncode (text: string, keepSlash: boolean): string {
  return Buffer.from(text, 'utf8').toString('latin1').replace(keepSlash ? /[^A-Za-z0-9\-._~/]/g : /[^A-Za-z0-9\-._~]/g, percentEncode)
}

function canonicalQuery (rawQuery: string): string {
  return rawQuery.split('&').filter((pair) => pair !== '').map((pair) => {
    const equals = pair.indexOf('=')
    const name = equals === -1 ? pair : pair.slice(0, equals)
    const value = equals === -1 ? '' : pair.slice(equals + 1)
    return [uriEncode(decodeURIComponent(name), false), uriEncode(decodeURIComponent(value), false)] as const
  }).sort(([nameA, valueA], [nameB, valueB]) => nameA === nameB ? (valueA < valueB ? -1 : 1) : (nameA < nameB ? -1 : 1))
    .map(([name, value]) => `${name}=${value}`).join('&')
}

function headerValues (rawHeaders: readonly string[]): Map<string, string> {
  const values = new Map<string, string[]>()
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase()
    const value = (rawHeaders[i + 1] as string).trim().replace(/\s+/g, ' ')
    values.set(name, [...(values.get(name) ?? []), value])
  }
  return new Map([...values].map(([name, list]) => [name, list.join(',')]))
}

export function checkSigV4 (request: SignedRequest, secretFor: (accessKeyId: string) => string | undefined): SigV4Verdict {
  const headers = headerValues(request.rawHeaders)
  const match = AUTHORIZATION.exec(headers.get('authorization') ?? '')
  if (match === null) return { valid: false, reason: 'no SigV4 authorization header' }
  const [, accessKeyId, date, region, service, signedHeaderList, signature] = match as unknown as string[] as [string, string, string, string, string, string, string]
  const secret = secretFor(accessKeyId)
  if (secret === undefined) return { valid: false, reason: `unknown access key ${accessKeyId}` }
  const signedHeaders = signedHeaderList.split(';')
  if (!signedHeaders.includes('host') || !signedHeaders.includes('x-amz-date')) return { valid: false, reason: 'host and x-amz-date must be signed' }
  const amzDate = headers.get('x-amz-date') ?? ''
  if (!amzDate.startsWith(date)) return { valid: false, reason: 'x-amz-date does not match the credential scope date' }
  const payloadHash = sha256Hex(request.body)
  const declaredHash = headers.get('x-amz-content-sha256')
  if (declaredHash !== undefined && declaredHash !== payloadHash) return { valid: false, reason: 'x-amz-content-sha256 does not match the body' }

  const questionMark = request.target.indexOf('?')
  const path = questionMark === -1 ? request.target : request.target.slice(0, questionMark)
  const query = questionMark === -1 ? '' : request.target.slice(questionMark + 1)
  const canonicalRequest = [
    request.method,
    uriEncode(path, true),
    canonicalQuery(query),
    ...signedHeaders.map((name) => `${name}:${headers.get(name) ?? ''}`),
    '',
    signedHeaderList,
    declaredHash ?? payloadHash
  ].join('\n')
  const scope = `${date}/${region}/${service}/aws4_request`
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n')
  let key: Buffer = hmac(`AWS4${secret}`, date)
  for (const part of [region, service, 'aws4_request']) key = hmac(key, part)
  const expected = createHmac('sha256', key).update(stringToSign).digest('hex')
  if (expected !== signature) return { valid: false, reason: `signature mismatch; canonical request was:\n${canonicalRequest}` }
  return { valid: true, accessKeyId, date, region, service, signedHeaders }
}
