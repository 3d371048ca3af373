import { Buffer, isUtf8 } from 'node:buffer'
import { findAmbiguousKey, type WatchedObject } from './find-ambiguous-key.ts'
import { quoteValue } from './quote-value.ts'

export type JsonBody =
  | { readonly ok: true; readonly value: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly message: string }

/**
 * A request body that carries identifiers: strict UTF-8, a JSON object, and no key on the way to an identifier that
 * another parser could read differently. Messages never quote the body (it holds prompts); only the offending key.
 */
export function readJsonObject (body: Uint8Array, watched: WatchedObject): JsonBody {
  // isUtf8 + toString is several times faster than a fatal TextDecoder on large bodies, with the same strictness.
  if (!isUtf8(body)) return { ok: false, message: 'request body is not valid UTF-8' }
  const text = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { ok: false, message: 'request body is not valid JSON' }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'request body is not a JSON object' }
  }
  const ambiguousKey = findAmbiguousKey(text, watched)
  if (ambiguousKey !== undefined) {
    return { ok: false, message: `request body key ${quoteValue(ambiguousKey)} is repeated, or is an identifier key spelled in another case` }
  }
  return { ok: true, value: value as Record<string, unknown> }
}
