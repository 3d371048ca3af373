import { randomUUID } from 'node:crypto'

/** Request ids have Bedrock's own shape (a UUID), so they fit wherever clients log `x-amzn-RequestId`. */
export function newRequestId (): string {
  return randomUUID()
}
