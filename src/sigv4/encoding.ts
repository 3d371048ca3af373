const BYTE_VALUES = 256
const LAST_BYTE = 0xff
const UNRESERVED_CHAR = /[A-Za-z0-9\-._~]/
/** A surrogate pair (one character outside the BMP), or any single char SigV4 encodes. */
const ENCODED_IN_COMPONENT = /[\uD800-\uDBFF][\uDC00-\uDFFF]|[^A-Za-z0-9\-._~]/g
/** The same, sparing `/`: path separators stay as they are. */
const ENCODED_IN_PATH = /[\uD800-\uDBFF][\uDC00-\uDFFF]|[^A-Za-z0-9\-._~/]/g

/** `%XX` (upper-case hex, as SigV4 requires) for every byte, or the character itself when it is unreserved. */
const ENCODED_BYTE: readonly string[] = Array.from({ length: BYTE_VALUES }, (_, byte) => {
  const char = String.fromCharCode(byte)
  return UNRESERVED_CHAR.test(char) ? char : '%' + byte.toString(16).toUpperCase().padStart(2, '0')
})

/**
 * Each char up to 0xFF is one received byte, which is how Node delivers request targets; a wider char can only come
 * from a string built in code, and is taken as the UTF-8 an SDK would have sent for it.
 */
function encodeMatch (match: string): string {
  const code = match.charCodeAt(0)
  if (match.length === 1 && code <= LAST_BYTE) return ENCODED_BYTE[code] as string
  let encoded = ''
  for (const byte of Buffer.from(match, 'utf8')) encoded += ENCODED_BYTE[byte]
  return encoded
}

/** Percent-encodes a byte string with SigV4's rules: RFC 3986 unreserved set, upper-case hex. */
export function uriEncode (text: string): string {
  return text.replace(ENCODED_IN_COMPONENT, encodeMatch)
}

/** uriEncode() for a whole path: every segment encoded, the `/` between them kept. */
export function uriEncodePath (path: string): string {
  return path.replace(ENCODED_IN_PATH, encodeMatch)
}

const ESCAPE = /%([0-9A-Fa-f]{2})/g

/**
 * Turns every `%XX` escape into the byte it names and leaves everything else as it is, including a `%` that starts
 * no valid escape. The result is a byte string (one char per byte) that uriEncode() re-encodes canonically.
 */
export function percentDecodeBytes (text: string): string {
  if (!text.includes('%')) return text
  return text.replace(ESCAPE, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
}
