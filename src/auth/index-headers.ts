import { PSEUDO_HEADER_PREFIX } from './constants.ts'
import type { HeaderIndex } from './types.ts'

/**
 * Groups Node's flat `rawHeaders` list by lower-cased name. The raw list, not `req.headers`, because Node keeps only
 * the first of some repeated headers there and SigV4 signs every repetition. HTTP/2 pseudo-headers are left out:
 * `:authority` reaches the verifier separately and the others are never signed.
 */
export function indexHeaders (rawHeaders: readonly string[]): HeaderIndex {
  const index = new Map<string, string[]>()
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] as string).toLowerCase()
    if (name.startsWith(PSEUDO_HEADER_PREFIX)) continue
    const value = rawHeaders[i + 1] as string
    const values = index.get(name)
    if (values === undefined) index.set(name, [value])
    else values.push(value)
  }
  return index
}
