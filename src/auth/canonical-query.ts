import { KEY_VALUE_SEPARATOR, QUERY_PAIR_SEPARATOR } from './constants.ts'
import { percentDecodeBytes } from './percent-decode-bytes.ts'
import { uriEncode } from './uri-encode.ts'

interface EncodedPair {
  readonly key: string
  readonly value: string
}

/**
 * The canonical query string of a raw query: every key and value decoded once and re-encoded with SigV4's rules, so
 * `%e1%88%b4`, `%E1%88%B4` and a raw UTF-8 byte sequence all sign alike, then sorted by key and, for repeated keys,
 * by value. A key without `=` gets an empty value; empty pieces (`a=1&&b=2`) carry no parameter and are skipped.
 * Parameters whose decoded key `omit` accepts are left out: the upstream signer drops presigning parameters.
 */
export function canonicalQuery (rawQuery: string, omit?: (decodedKey: string) => boolean): string {
  if (rawQuery.length === 0) return ''
  const pairs: EncodedPair[] = []
  for (const piece of rawQuery.split(QUERY_PAIR_SEPARATOR)) {
    if (piece.length === 0) continue
    const at = piece.indexOf(KEY_VALUE_SEPARATOR)
    const key = percentDecodeBytes(at === -1 ? piece : piece.slice(0, at))
    if (omit?.(key) === true) continue
    const value = at === -1 ? '' : piece.slice(at + 1)
    pairs.push({ key: uriEncode(key), value: uriEncode(percentDecodeBytes(value)) })
  }
  pairs.sort(byKeyThenValue)
  return pairs.map((pair) => pair.key + KEY_VALUE_SEPARATOR + pair.value).join(QUERY_PAIR_SEPARATOR)
}

/** Encoded strings are plain ASCII, so code-unit order is the byte order SigV4 sorts by. */
function byKeyThenValue (a: EncodedPair, b: EncodedPair): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1
  if (a.value !== b.value) return a.value < b.value ? -1 : 1
  return 0
}
