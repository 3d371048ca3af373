import { hash } from 'node:crypto'
import { HEX, SHA256 } from './constants.ts'

/** The hex sha256 of some bytes, as SigV4's payload hash. The one-shot hash costs half of createHash's time and garbage. */
export function sha256Hex (bytes: Uint8Array): string {
  return hash(SHA256, bytes, HEX)
}
