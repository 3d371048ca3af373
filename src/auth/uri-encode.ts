/** RFC 3986 unreserved characters: the only ones SigV4 leaves unencoded. */
const ONLY_UNRESERVED = /^[A-Za-z0-9\-._~]*$/
const UNRESERVED_CHAR = /[A-Za-z0-9\-._~]/
const BYTE_VALUES = 256
const LAST_BYTE = 0xff

/** `%XX` (upper-case hex, as SigV4 requires) for every byte, or the character itself when it is unreserved. */
const ENCODED_BYTE: readonly string[] = Array.from({ length: BYTE_VALUES }, (_, byte) => {
  const char = String.fromCharCode(byte)
  return UNRESERVED_CHAR.test(char) ? char : '%' + byte.toString(16).toUpperCase().padStart(2, '0')
})

/**
 * Percent-encodes a byte string with SigV4's rules (RFC 3986 unreserved set, upper-case hex). Each char up to 0xFF is
 * one received byte, which is how Node delivers request targets; a wider char can only come from a string built in
 * code, and is taken as the UTF-8 an SDK would have sent for it.
 */
export function uriEncode (text: string): string {
  if (ONLY_UNRESERVED.test(text)) return text
  let encoded = ''
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code <= LAST_BYTE) {
      encoded += ENCODED_BYTE[code]
      continue
    }
    const codePoint = text.codePointAt(i) as number
    if (codePoint > 0xffff) i++
    for (const byte of Buffer.from(String.fromCodePoint(codePoint), 'utf8')) encoded += ENCODED_BYTE[byte]
  }
  return encoded
}
