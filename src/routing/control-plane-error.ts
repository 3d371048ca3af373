import type { ControlPlaneFailureKind, ControlPlaneOperation } from './types.ts'

/**
 * A control-plane call that gave no usable answer. The message says which call, in which region, for which
 * identifier, and what went wrong; it never holds the endpoint URL or anything from the credentials, so it can be
 * shown to the gateway's caller.
 */
export class ControlPlaneError extends Error {
  override readonly name = 'ControlPlaneError'
  readonly kind: ControlPlaneFailureKind
  readonly operation: ControlPlaneOperation

  constructor (kind: ControlPlaneFailureKind, operation: ControlPlaneOperation, message: string) {
    super(message)
    this.kind = kind
    this.operation = operation
  }
}
