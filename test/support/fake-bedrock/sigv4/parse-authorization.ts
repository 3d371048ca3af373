import { SIGV4_ALGORITHM, SIGV4_SCOPE_TERMINATOR } from '../constants.ts'

export interface ParsedAuthorization {
  readonly accessKeyId: string
  readonly date: string
  readonly region: string
  readonly service: string
  readonly terminator: string
  /** `<date>/<region>/<service>/aws4_request`, as the string to sign repeats it. */
  readonly scope: string
  readonly signedHeaders: readonly string[]
  readonly signature: string
}

export type AuthorizationParse =
  | { readonly ok: true; readonly value: ParsedAuthorization }
  | { readonly ok: false; readonly message: string }

/** Reads `AWS4-HMAC-SHA256 Credential=AKID/date/region/service/aws4_request, SignedHeaders=a;b, Signature=hex`. */
export function parseAuthorization (header: string): AuthorizationParse {
  if (!header.startsWith(`${SIGV4_ALGORITHM} `)) {
    return { ok: false, message: `Authorization header must use ${SIGV4_ALGORITHM}` }
  }
  const fields = new Map<string, string>()
  for (const part of header.slice(SIGV4_ALGORITHM.length + 1).split(',')) {
    const equals = part.indexOf('=')
    if (equals === -1) return { ok: false, message: `Authorization component '${part.trim()}' is not name=value` }
    fields.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim())
  }
  const credential = fields.get('Credential')
  const signedHeaders = fields.get('SignedHeaders')
  const signature = fields.get('Signature')
  if (credential === undefined || signedHeaders === undefined || signature === undefined) {
    return { ok: false, message: "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters" }
  }
  const scopeParts = credential.split('/')
  if (scopeParts.length !== 5 || scopeParts.some(part => part === '')) {
    return { ok: false, message: `Credential '${credential}' is not <key>/<date>/<region>/<service>/${SIGV4_SCOPE_TERMINATOR}` }
  }
  const [accessKeyId, date, region, service, terminator] = scopeParts as [string, string, string, string, string]
  if (!/^[0-9a-f]{64}$/.test(signature)) {
    return { ok: false, message: 'Signature must be 64 lower-case hex digits' }
  }
  return {
    ok: true,
    value: {
      accessKeyId,
      date,
      region,
      service,
      terminator,
      scope: scopeParts.slice(1).join('/'),
      signedHeaders: signedHeaders.split(';'),
      signature
    }
  }
}
