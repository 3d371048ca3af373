import { LINE_BREAK, NAME_VALUE_SEPARATOR, REPEATED_HEADER_JOINER, SIGNED_HEADERS_SEPARATOR } from './constants.ts'
import {
  BedrockError,
  QUERY_NAME_VALUE_SEPARATOR,
  QUERY_PARAMETER_SEPARATOR,
  QUERY_START,
  URL_PATH_SEPARATOR
} from '../core/index.ts'
import { percentDecodeBytes, uriEncode, uriEncodePath } from './encoding.ts'

/**
 * A signed header's value as the request carries it (every value, in order, when it is repeated), or undefined when
 * the request does not carry it. Names are lower-case.
 */
export type SignedHeaderValues = (name: string) => string | readonly string[] | undefined

function signedHeaderMissing (name: string): string {
  return `'${name}' is listed in SignedHeaders but the request has no such header.`
}

/** What a SigV4 signature covers, whichever way the request goes: received by the gateway or sent by it. */
export interface CanonicalRequestParts {
  readonly method: string
  /** The path as it travels, still percent-encoded: the canonical URI encodes it once more. */
  readonly path: string
  /** Already canonical: decoded once, re-encoded with SigV4's rules, sorted. */
  readonly canonicalQuery: string
  /** Lower-case names, in the order they are signed. */
  readonly signedHeaders: readonly string[]
  readonly headerValues: SignedHeaderValues
  /** Lower-case hex sha256 of the body. */
  readonly payloadSha256Hex: string
}

/** SigV4's canonical request. */
export function canonicalRequest (parts: CanonicalRequestParts): string {
  return parts.method + LINE_BREAK +
    canonicalUri(parts.path) + LINE_BREAK +
    parts.canonicalQuery + LINE_BREAK +
    canonicalHeaders(parts.signedHeaders, parts.headerValues) + LINE_BREAK +
    parts.signedHeaders.join(SIGNED_HEADERS_SEPARATOR) + LINE_BREAK +
    parts.payloadSha256Hex
}

/**
 * The canonical headers block: one `name:value\n` line per signed header, in the order given (sorted by whoever
 * signs; a verifier keeps the client's order, since a list in another order could not have produced a valid
 * signature anyway). Where the values come from is the caller's: a received request's header index, or the headers
 * a signer is about to send. A header listed as signed that the request does not carry is refused rather than
 * signed as empty.
 */
export function canonicalHeaders (signedHeaders: readonly string[], valuesOf: SignedHeaderValues): string {
  let block = ''
  for (const name of signedHeaders) {
    block += name + NAME_VALUE_SEPARATOR + canonicalValue(name, valuesOf(name)) + LINE_BREAK
  }
  return block
}

function canonicalValue (name: string, values: string | readonly string[] | undefined): string {
  if (values === undefined) throw new BedrockError('InvalidSignatureException', signedHeaderMissing(name))
  if (typeof values === 'string') return canonicalHeaderValue(values)
  if (values.length === 1) return canonicalHeaderValue(values[0] as string)
  return values.map(canonicalHeaderValue).join(REPEATED_HEADER_JOINER)
}

/** HTTP's optional whitespace: Node has already refused every other control character in a header value. */
const WHITESPACE_RUN = /[ \t]+/g
/** Anything trimall would change: outer whitespace, a tab, or two whitespace characters in a row. */
const NEEDS_TRIMMING = /^[ \t]|[ \t]$|\t|[ \t]{2}/
const SPACE = ' '

/**
 * SigV4's "trimall": leading and trailing whitespace removed, inner runs collapsed to one space. Only space and tab
 * count, because values are byte strings and 0xA0 may be the second byte of a UTF-8 character.
 */
export function canonicalHeaderValue (value: string): string {
  if (!NEEDS_TRIMMING.test(value)) return value
  const collapsed = value.replace(WHITESPACE_RUN, SPACE)
  const start = collapsed.startsWith(SPACE) ? 1 : 0
  const end = collapsed.length > start && collapsed.endsWith(SPACE) ? collapsed.length - 1 : collapsed.length
  return collapsed.slice(start, end)
}

const EMPTY_SEGMENTS = /\/{2,}/g

/**
 * The canonical URI of a raw (still percent-encoded) path, as botocore and the AWS SDKs compute it for every
 * service but S3: each segment encoded once more (`%3A` -> `%253A`, raw `:` -> `%3A`) and empty segments dropped
 * (`//model` -> `/model`, which is what a LiteLLM endpoint with a trailing slash produces).
 * Dot segments are NOT resolved: the request layer refuses paths that contain them, so a signer that resolved them
 * and signed a different path than the one sent simply fails to verify.
 */
export function canonicalUri (rawPath: string): string {
  const rooted = rawPath.startsWith(URL_PATH_SEPARATOR) ? rawPath : URL_PATH_SEPARATOR + rawPath
  return uriEncodePath(rooted.replace(EMPTY_SEGMENTS, URL_PATH_SEPARATOR))
}

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
export function sigV4CanonicalQuery (rawQuery: string, omit?: (decodedKey: string) => boolean): string {
  if (rawQuery.length === 0) return ''
  const pairs: EncodedPair[] = []
  for (const piece of rawQuery.split(QUERY_PARAMETER_SEPARATOR)) {
    if (piece.length === 0) continue
    const at = piece.indexOf(QUERY_NAME_VALUE_SEPARATOR)
    const key = percentDecodeBytes(at === -1 ? piece : piece.slice(0, at))
    if (omit?.(key) === true) continue
    const value = at === -1 ? '' : piece.slice(at + 1)
    pairs.push({ key: uriEncode(key), value: uriEncode(percentDecodeBytes(value)) })
  }
  pairs.sort(byKeyThenValue)
  return pairs.map((pair) => pair.key + QUERY_NAME_VALUE_SEPARATOR + pair.value).join(QUERY_PARAMETER_SEPARATOR)
}

/** Encoded strings are plain ASCII, so code-unit order is the byte order SigV4 sorts by. */
function byKeyThenValue (a: EncodedPair, b: EncodedPair): number {
  if (a.key !== b.key) return a.key < b.key ? -1 : 1
  if (a.value !== b.value) return a.value < b.value ? -1 : 1
  return 0
}

/** Splits a raw request target at its first `?`; the query keeps its encoding. */
export function splitRequestTarget (rawTarget: string): { readonly path: string; readonly query: string } {
  const at = rawTarget.indexOf(QUERY_START)
  if (at === -1) return { path: rawTarget, query: '' }
  return { path: rawTarget.slice(0, at), query: rawTarget.slice(at + 1) }
}
