import { KEY_VALUE_SEPARATOR, PRESIGNED_QUERY_PARAMETERS, QUERY_PAIR_SEPARATOR } from './constants.ts'
import { percentDecodeBytes } from './percent-decode-bytes.ts'

/** Whether a raw query carries presigned-URL parameters (`X-Amz-Signature` ...), however they are cased or encoded. */
export function hasQuerySignature (rawQuery: string): boolean {
  if (rawQuery.length === 0) return false
  for (const piece of rawQuery.split(QUERY_PAIR_SEPARATOR)) {
    const at = piece.indexOf(KEY_VALUE_SEPARATOR)
    const key = percentDecodeBytes(at === -1 ? piece : piece.slice(0, at)).toLowerCase()
    if (PRESIGNED_QUERY_PARAMETERS.has(key)) return true
  }
  return false
}
