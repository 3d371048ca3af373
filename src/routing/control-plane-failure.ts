import type { ControlPlaneFailureKind, ControlPlaneOperation } from './types.ts'

const HTTP_FORBIDDEN = 403
const HTTP_NOT_FOUND = 404
const HTTP_TOO_MANY_REQUESTS = 429
const HTTP_SERVER_ERRORS = 500
const THROTTLING_TYPES: ReadonlySet<string> = new Set(['ThrottlingException', 'TooManyRequestsException'])
/** How AWS names an error type: the SDKs strip a `namespace#` prefix and a `:url` suffix, and so do we. */
const ERROR_TYPE = /^(?:[^#]*#)?([A-Za-z][A-Za-z0-9]*)/

/** The error type an AWS JSON error answer names, from the header or the body (`__type` or `code`). */
export function errorTypeOf (headerValue: string | undefined, body: unknown): string | undefined {
  const bodyRecord = body !== null && typeof body === 'object' ? body as Record<string, unknown> : {}
  for (const candidate of [headerValue, bodyRecord.__type, bodyRecord.code]) {
    if (typeof candidate !== 'string') continue
    const match = ERROR_TYPE.exec(candidate)
    if (match !== null) return match[1]
  }
  return undefined
}

/** What a non-200 answer means for a lookup. */
export function failureKindOf (status: number, errorType: string | undefined): ControlPlaneFailureKind {
  if (status === HTTP_TOO_MANY_REQUESTS || (errorType !== undefined && THROTTLING_TYPES.has(errorType))) return 'throttled'
  if (status === HTTP_FORBIDDEN) return 'access-denied'
  if (status === HTTP_NOT_FOUND) return 'not-found'
  return status >= HTTP_SERVER_ERRORS ? 'service-error' : 'rejected'
}

/**
 * A control-plane call that gave no usable answer. The message says which call, in which region, for which
 * identifier, and what went wrong; it never holds the endpoint URL or anything from the credentials, so it can be
 * shown to the gateway's caller.
 */
export class ControlPlaneError extends Error {
  override readonly name = 'ControlPlaneError'
  readonly kind: ControlPlaneFailureKind
  readonly operation: ControlPlaneOperation
  /**
   * What named the failure, when something did: for `unreachable` the network error's code (`ENOTFOUND`,
   * `ECONNREFUSED`, a TLS code ...), for an error answer the error type it named (`ResourceNotFoundException` ...).
   */
  readonly code?: string

  constructor (kind: ControlPlaneFailureKind, operation: ControlPlaneOperation, message: string, code?: string) {
    super(message)
    this.kind = kind
    this.operation = operation
    if (code !== undefined) this.code = code
  }
}
